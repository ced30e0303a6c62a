package dev.timon.controllers.nodelifecycle;

import dev.timon.client.Informers;
import dev.timon.controllers.Controller;
import dev.timon.controllers.ControllerContext;
import dev.timon.controllers.Taints;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches node heartbeats (the node's Lease in kube-node-lease, and its Ready condition). A node silent for
 * longer than the grace period gets every condition set to Unknown and its pods marked not ready; NoExecute
 * (and NoSchedule) taints follow the Ready condition: unreachable for Unknown, not-ready for False, none once
 * Ready again. Heartbeats are timed on this controller's own clock, as upstream, so clock skew between
 * nodes and the controller does not matter. Keys are node names.
 */
public final class NodeLifecycleController extends Controller {

    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(40);
    static final Duration MONITOR_PERIOD = Duration.ofSeconds(5);
    static final String NODE_LEASE_NAMESPACE = "kube-node-lease";
    private static final List<String> CONDITION_TYPES = List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");

    private final ControllerContext context;
    private final Duration gracePeriod;
    /** Per node: the last heartbeat seen (lease renewTime + Ready heartbeat) and when this controller saw it change. */
    private final Map<String, Heartbeat> heartbeats = new ConcurrentHashMap<>();

    private record Heartbeat(String value, Instant observedAt) {
    }

    /** With upstream's --node-monitor-grace-period as the system property timon.node-monitor-grace-period (seconds). */
    public NodeLifecycleController(ControllerContext context) {
        this(context, Duration.ofSeconds(Long.getLong("timon.node-monitor-grace-period", DEFAULT_GRACE_PERIOD.toSeconds())));
    }

    public NodeLifecycleController(ControllerContext context, Duration gracePeriod) {
        super("nodelifecycle", 2);
        this.context = context;
        this.gracePeriod = gracePeriod;
        context.informers().forType(Node.class).addEventHandler(enqueueing());
        context.informers().forType(Lease.class).addEventHandler(on((Lease lease) -> {
            if (NODE_LEASE_NAMESPACE.equals(lease.getMetadata().getNamespace())) {
                queue.add(lease.getMetadata().getName());
            }
        }));
    }

    @Override
    protected void reconcile(String nodeName) {
        Node node = context.informers().get(Node.class, null, nodeName);
        if (node == null) {
            heartbeats.remove(nodeName);
            return;
        }
        queue.addAfter(nodeName, MONITOR_PERIOD);
        Instant now = Instant.now();
        Lease lease = context.informers().get(Lease.class, NODE_LEASE_NAMESPACE, nodeName);
        String beat = (lease == null || lease.getSpec() == null ? "" : Objects.toString(lease.getSpec().getRenewTime(), ""))
                + "|" + condition(node, "Ready").map(NodeCondition::getLastHeartbeatTime).orElse("");
        Heartbeat last = heartbeats.compute(nodeName, (k, h) -> h == null || !h.value().equals(beat) ? new Heartbeat(beat, now) : h);
        if (Duration.between(last.observedAt(), now).compareTo(gracePeriod) > 0
                && !"Unknown".equals(condition(node, "Ready").map(NodeCondition::getStatus).orElse(null))) {
            node = markUnknown(node, now);
        }
        reconcileTaints(node, now);
    }

    private Node markUnknown(Node node, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        // A Node created without a status (kubectl create of a bare manifest) has none at all until a kubelet writes one.
        List<NodeCondition> conditions = node.getStatus() == null || node.getStatus().getConditions() == null
                ? new ArrayList<>() : new ArrayList<>(node.getStatus().getConditions());
        for (String type : CONDITION_TYPES) {
            NodeCondition existing = conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
            if (existing == null) {
                conditions.add(new NodeConditionBuilder().withType(type).withStatus("Unknown").withReason("NodeStatusNeverUpdated")
                        .withMessage("Kubelet never posted node status.").withLastHeartbeatTime(time).withLastTransitionTime(time).build());
            } else if (!"Unknown".equals(existing.getStatus())) {
                existing.setStatus("Unknown");
                existing.setReason("NodeStatusUnknown");
                existing.setMessage("Kubelet stopped posting node status.");
                existing.setLastTransitionTime(time);
            }
        }
        Node updated = new NodeBuilder(node).editOrNewStatus().withConditions(conditions).endStatus().build();
        updated = context.client().nodes().resource(updated).updateStatus();
        context.events().normal(node, "NodeNotReady", "Node " + node.getMetadata().getName() + " status is now: NodeNotReady");
        markPodsNotReady(node.getMetadata().getName(), time);
        return updated;
    }

    /** Pods on a node nobody hears from are not ready: endpoints stop sending them traffic. */
    private void markPodsNotReady(String nodeName, String time) {
        for (Pod pod : context.informers().byIndex(Pod.class, Informers.BY_NODE, nodeName)) {
            if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
                continue;
            }
            List<PodCondition> conditions = new ArrayList<>();
            boolean changed = false;
            for (PodCondition c : pod.getStatus().getConditions()) {
                PodCondition copy = new io.fabric8.kubernetes.api.model.PodConditionBuilder(c).build();
                if ("Ready".equals(c.getType()) && !"False".equals(c.getStatus())) {
                    copy.setStatus("False");
                    copy.setLastTransitionTime(time);
                    changed = true;
                }
                conditions.add(copy);
            }
            if (changed) {
                try {
                    context.client().pods().inNamespace(pod.getMetadata().getNamespace())
                            .resource(new PodBuilder(pod).editStatus().withConditions(conditions).endStatus().build()).updateStatus();
                    context.events().warning(pod, "NodeNotReady", "Node is not ready");
                } catch (RuntimeException e) {
                    queue.addRateLimited(nodeName); // a conflicting kubelet write: try again soon
                }
            }
        }
    }

    private void reconcileTaints(Node node, Instant now) {
        String ready = condition(node, "Ready").map(NodeCondition::getStatus).orElse("Unknown");
        String wanted = "True".equals(ready) ? null : "False".equals(ready) ? Taints.NOT_READY : Taints.UNREACHABLE;
        List<Taint> current = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
        List<Taint> taints = new ArrayList<>();
        for (Taint t : current) {
            boolean ours = Taints.NOT_READY.equals(t.getKey()) || Taints.UNREACHABLE.equals(t.getKey());
            if (!ours || t.getKey().equals(wanted)) {
                taints.add(t);
            }
        }
        if (wanted != null) {
            for (String effect : List.of("NoSchedule", "NoExecute")) {
                if (taints.stream().noneMatch(t -> wanted.equals(t.getKey()) && effect.equals(t.getEffect()))) {
                    taints.add(new TaintBuilder().withKey(wanted).withEffect(effect)
                            .withTimeAdded("NoExecute".equals(effect) ? now.truncatedTo(ChronoUnit.SECONDS).toString() : null).build());
                }
            }
        }
        if (!taints.equals(current)) {
            context.client().nodes().withName(node.getMetadata().getName())
                    .edit(n -> new NodeBuilder(n).editOrNewSpec().withTaints(taints).endSpec().build());
        }
    }

    private static java.util.Optional<NodeCondition> condition(Node node, String type) {
        return node.getStatus() == null || node.getStatus().getConditions() == null ? java.util.Optional.empty()
                : node.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }
}
