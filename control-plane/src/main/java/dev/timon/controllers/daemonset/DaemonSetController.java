package dev.timon.controllers.daemonset;

import dev.timon.controllers.Controller;
import dev.timon.controllers.ControllerContext;
import dev.timon.controllers.ControllerHistory;
import dev.timon.controllers.ControllerRefs;
import dev.timon.controllers.Expectations;
import dev.timon.controllers.ObjectKeys;
import dev.timon.controllers.PodConditions;
import dev.timon.controllers.PodControl;
import dev.timon.controllers.StatusWrites;
import dev.timon.controllers.TemplateHash;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDaemonSet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One daemon pod on every eligible node: creates missing ones, removes them from nodes that no longer qualify
 * (and failed ones, to be recreated), and rolls template changes out node by node within maxUnavailable, or
 * with maxSurge by starting the new pod next to the old one first. Each template is recorded as a
 * ControllerRevision (the pods' controller-revision-hash names it), which `kubectl rollout history|undo` read.
 * Keys are DaemonSets.
 */
public final class DaemonSetController extends Controller {

    private final ControllerContext context;
    private final Expectations expectations = new Expectations();
    private final ControllerHistory history;

    public DaemonSetController(ControllerContext context) {
        super("daemonset", 2);
        this.context = context;
        this.history = new ControllerHistory(context, DaemonPods.REVISION_LABEL);
        context.informers().forType(DaemonSet.class).addEventHandler(enqueueing());
        context.informers().forType(Node.class).addEventHandler(on((Node node) ->
                context.informers().forType(DaemonSet.class).getStore().list().forEach(this::enqueue)));
        context.informers().forType(Pod.class).addEventHandler(ownedPods("DaemonSet", expectations));
    }

    @Override
    protected void reconcile(String key) {
        DaemonSet ds = context.informers().get(DaemonSet.class, ObjectKeys.namespace(key), ObjectKeys.name(key));
        if (ds == null) {
            expectations.forget(key);
            return;
        }
        if (ObjectKeys.isDeleting(ds) || !expectations.satisfied(key)) {
            return;
        }
        String hash = TemplateHash.of(ds.getSpec().getTemplate());
        List<ControllerRevision> revisions = history.revisions(ds);
        ControllerRevision currentRevision = history.record(ds, ds.getSpec().getTemplate(), hash, revisions);
        PodSpec daemonSpec = DaemonPods.withDefaultTolerations(ds.getSpec().getTemplate().getSpec());
        Map<String, List<Pod>> podsByNode = podsByNodeOf(ds);
        java.util.Set<String> orphanNodes = new java.util.HashSet<>(podsByNode.keySet());
        List<String> createOn = new ArrayList<>();
        List<Pod> delete = new ArrayList<>();
        Map<String, Pod> current = new HashMap<>();
        List<Node> nodes = context.informers().forType(Node.class).getStore().list();
        int desired = 0;
        int misscheduled = 0;
        for (Node node : nodes) {
            String name = node.getMetadata().getName();
            DaemonEligibility.Verdict verdict = DaemonEligibility.of(node, daemonSpec);
            List<Pod> onNode = new ArrayList<>(podsByNode.getOrDefault(name, List.of()));
            orphanNodes.remove(name);
            desired += verdict.shouldRun() ? 1 : 0;
            for (Pod failed : onNode.stream().filter(p -> "Failed".equals(p.getStatus().getPhase())).toList()) {
                context.events().warning(ds, "FailedDaemonPod", "Found failed daemon pod " + ObjectKeys.key(failed)
                        + " on node " + name + ", will try to kill it");
                delete.add(failed);
                onNode.remove(failed);
            }
            if (!verdict.shouldContinueRunning()) {
                misscheduled += onNode.isEmpty() ? 0 : 1;
                delete.addAll(onNode);
            } else if (onNode.isEmpty()) {
                if (verdict.shouldRun()) {
                    createOn.add(name);
                }
            } else {
                misscheduled += verdict.shouldRun() ? 0 : 1;
                // Two pods during a surge are the rolling update's business; otherwise keep one, the oldest.
                onNode.sort(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp()));
                if (onNode.size() > 1 && !surgeInProgress(onNode, hash)) {
                    delete.addAll(onNode.subList(1, onNode.size()));
                }
                current.put(name, onNode.get(0));
            }
        }
        orphanNodes.forEach(n -> delete.addAll(podsByNode.get(n))); // pods on nodes that are gone
        if (createOn.isEmpty() && delete.isEmpty()) {
            rollingUpdate(ds, hash, current, podsByNode, desired, createOn, delete);
        }
        apply(ds, key, hash, createOn, delete);
        updateStatus(ds, hash, desired, misscheduled);
        // Revisions that pods still run stay, whatever the limit: upstream's cleanupHistory.
        Set<String> live = podsByNode.values().stream().flatMap(List::stream).map(DaemonSetController::label)
                .filter(Objects::nonNull).map(h -> ds.getMetadata().getName() + "-" + h).collect(Collectors.toSet());
        live.add(currentRevision.getMetadata().getName());
        history.truncate(revisions, live, Objects.requireNonNullElse(ds.getSpec().getRevisionHistoryLimit(), 10));
    }

    /** A node with an old pod and a not-yet-ready new one: the surge is still starting. */
    private static boolean surgeInProgress(List<Pod> onNode, String hash) {
        return onNode.stream().anyMatch(p -> hash.equals(label(p))) && onNode.stream().anyMatch(p -> !hash.equals(label(p)));
    }

    private Map<String, List<Pod>> podsByNodeOf(DaemonSet ds) {
        Map<String, List<Pod>> byNode = new HashMap<>();
        for (Pod pod : ControllerRefs.controlledBy(ds, context.informers())) {
            if (!ObjectKeys.isDeleting(pod)) {
                DaemonPods.nodeOf(pod).ifPresent(n -> byNode.computeIfAbsent(n, k -> new ArrayList<>()).add(pod));
            }
        }
        return byNode;
    }

    /**
     * Replaces pods of an old template. Without surge: delete old pods while fewer than maxUnavailable nodes
     * lack an available daemon pod (unavailable old pods first: they cost nothing). With surge: start new pods
     * beside old ones, up to maxSurge at a time, and delete each old pod once its replacement is ready.
     */
    private void rollingUpdate(DaemonSet ds, String hash, Map<String, Pod> current, Map<String, List<Pod>> byNode,
                               int desired, List<String> createOn, List<Pod> delete) {
        if (!"RollingUpdate".equals(ds.getSpec().getUpdateStrategy().getType())) {
            return;
        }
        RollingUpdateDaemonSet rolling = ds.getSpec().getUpdateStrategy().getRollingUpdate();
        int maxSurge = scaled(rolling == null ? null : rolling.getMaxSurge(), desired);
        int maxUnavailable = scaled(rolling == null ? null : rolling.getMaxUnavailable(), desired);
        if (maxSurge == 0 && maxUnavailable == 0) {
            maxUnavailable = 1;
        }
        if (maxSurge > 0) {
            int surging = 0;
            for (var entry : byNode.entrySet()) {
                List<Pod> pods = entry.getValue();
                boolean hasOld = pods.stream().anyMatch(p -> !hash.equals(label(p)));
                Pod fresh = pods.stream().filter(p -> hash.equals(label(p))).findFirst().orElse(null);
                if (hasOld && fresh != null) {
                    if (PodConditions.isReady(fresh)) {
                        pods.stream().filter(p -> !hash.equals(label(p))).forEach(delete::add);
                    } else {
                        surging++;
                    }
                }
            }
            for (var entry : byNode.entrySet()) {
                boolean onlyOld = entry.getValue().stream().noneMatch(p -> hash.equals(label(p)));
                if (onlyOld && current.containsKey(entry.getKey()) && surging < maxSurge) {
                    createOn.add(entry.getKey());
                    surging++;
                }
            }
            return;
        }
        int unavailable = (int) current.values().stream().filter(p -> !PodConditions.isReady(p)).count()
                + Math.max(0, desired - current.size());
        List<Pod> old = new ArrayList<>(current.values().stream().filter(p -> !hash.equals(label(p))).toList());
        old.sort(Comparator.comparing(PodConditions::isReady));
        for (Pod pod : old) {
            if (!PodConditions.isReady(pod)) {
                delete.add(pod);
            } else if (unavailable < maxUnavailable) {
                delete.add(pod);
                unavailable++;
            }
        }
    }

    private static int scaled(IntOrString value, int total) {
        if (value == null) {
            return 0;
        }
        if (value.getStrVal() == null) {
            return value.getIntVal();
        }
        double percent = Double.parseDouble(value.getStrVal().replace("%", ""));
        return (int) Math.ceil(percent * total / 100.0);
    }

    private void apply(DaemonSet ds, String key, String hash, List<String> createOn, List<Pod> delete) {
        if (createOn.isEmpty() && delete.isEmpty()) {
            return;
        }
        expectations.expectCreations(key, createOn.size());
        expectations.expectDeletions(key, delete.stream().map(ObjectKeys::key).toList());
        for (String node : createOn) {
            try {
                Pod created = context.client().pods().inNamespace(ds.getMetadata().getNamespace())
                        .resource(DaemonPods.forNode(ds, node, hash)).create();
                context.events().normal(ds, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
            } catch (RuntimeException e) {
                if (namespaceTerminating(e)) {
                    return; // as upstream: every further create fails too; the expectations wait out their TTL
                }
                expectations.creationObserved(key);
                context.events().warning(ds, "FailedCreate", "Error creating: " + e.getMessage());
                throw e;
            }
        }
        for (Pod pod : delete) {
            context.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
            context.events().normal(ds, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
        }
    }

    private void updateStatus(DaemonSet ds, String hash, int desired, int misscheduled) {
        List<Pod> pods = ControllerRefs.controlledBy(ds, context.informers()).stream().filter(PodConditions::isActive).toList();
        Map<String, Pod> firstPerNode = new HashMap<>();
        pods.forEach(p -> DaemonPods.nodeOf(p).filter(n -> p.getSpec().getNodeName() != null)
                .ifPresent(n -> firstPerNode.merge(n, p, (a, b) -> PodConditions.isReady(a) ? a : b)));
        int minReady = Objects.requireNonNullElse(ds.getSpec().getMinReadySeconds(), 0);
        int scheduled = firstPerNode.size();
        int ready = (int) firstPerNode.values().stream().filter(PodConditions::isReady).count();
        int available = (int) firstPerNode.values().stream().filter(p -> isAvailable(p, minReady)).count();
        int updated = (int) firstPerNode.values().stream().filter(p -> hash.equals(label(p))).count();
        // A copy to change: the cached status is shared.
        DaemonSetStatus status = Objects.requireNonNullElseGet(new DaemonSetBuilder(ds).build().getStatus(), DaemonSetStatus::new);
        status.setDesiredNumberScheduled(desired);
        status.setCurrentNumberScheduled(Math.min(scheduled, desired));
        status.setNumberMisscheduled(misscheduled);
        status.setNumberReady(ready);
        status.setNumberAvailable(available);
        status.setNumberUnavailable(Math.max(0, desired - available));
        status.setUpdatedNumberScheduled(updated);
        status.setObservedGeneration(ds.getMetadata().getGeneration());
        if (!Objects.equals(status, ds.getStatus())) {
            StatusWrites.update(context.client(), ds, copy -> copy.setStatus(status));
        }
    }

    static boolean isAvailable(Pod pod, int minReadySeconds) {
        if (!PodConditions.isReady(pod)) {
            return false;
        }
        if (minReadySeconds == 0) {
            return true;
        }
        return pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                .map(c -> c.getLastTransitionTime()).filter(Objects::nonNull)
                .anyMatch(t -> !Instant.parse(t).plusSeconds(minReadySeconds).isAfter(Instant.now()));
    }

    private static String label(Pod pod) {
        return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(DaemonPods.REVISION_LABEL);
    }
}
