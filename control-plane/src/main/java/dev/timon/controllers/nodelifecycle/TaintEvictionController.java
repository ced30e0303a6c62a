package dev.timon.controllers.nodelifecycle;

import dev.timon.client.Informers;
import dev.timon.controllers.Controller;
import dev.timon.controllers.ControllerContext;
import dev.timon.controllers.ObjectKeys;
import dev.timon.controllers.PodConditions;
import dev.timon.controllers.Taints;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Deletes pods from nodes with NoExecute taints they do not tolerate: at once without a matching toleration,
 * after the smallest tolerationSeconds among the matching ones (counted from the taint's timeAdded), never
 * when they tolerate it indefinitely. Keys are node names; a pending eviction re-queues its node.
 */
public final class TaintEvictionController extends Controller {

    private final ControllerContext context;

    public TaintEvictionController(ControllerContext context) {
        super("taint-eviction-controller", 2);
        this.context = context;
        context.informers().forType(Node.class).addEventHandler(enqueueing());
        context.informers().forType(Pod.class).addEventHandler(on((Pod pod) -> {
            if (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
                queue.add(pod.getSpec().getNodeName());
            }
        }));
    }

    @Override
    protected void reconcile(String nodeName) {
        Node node = context.informers().get(Node.class, null, nodeName);
        if (node == null || node.getSpec() == null || node.getSpec().getTaints() == null) {
            return;
        }
        List<Taint> noExecute = node.getSpec().getTaints().stream().filter(t -> "NoExecute".equals(t.getEffect())).toList();
        if (noExecute.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        Duration nextCheck = null;
        for (Pod pod : context.informers().byIndex(Pod.class, Informers.BY_NODE, nodeName)) {
            if (ObjectKeys.isDeleting(pod) || PodConditions.isFinished(pod)) {
                continue;
            }
            Optional<Instant> due = evictionTime(pod.getSpec().getTolerations(), noExecute, now);
            if (due.isEmpty()) {
                continue;
            }
            Duration left = Duration.between(now, due.get());
            if (left.isNegative() || left.isZero()) {
                context.events().normal(pod, "TaintManagerEviction", "Marking for deletion Pod " + ObjectKeys.key(pod));
                context.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
            } else if (nextCheck == null || left.compareTo(nextCheck) < 0) {
                nextCheck = left;
            }
        }
        if (nextCheck != null) {
            queue.addAfter(nodeName, nextCheck);
        }
    }

    /** When the pod must go: now for an untolerated taint, the earliest expiring toleration otherwise. */
    static Optional<Instant> evictionTime(List<Toleration> tolerations, List<Taint> noExecuteTaints, Instant now) {
        Instant due = null;
        for (Taint taint : noExecuteTaints) {
            Optional<Toleration> toleration = Taints.toleration(tolerations, taint);
            if (toleration.isEmpty()) {
                return Optional.of(now);
            }
            Long seconds = toleration.get().getTolerationSeconds();
            if (seconds != null) {
                Instant added = taint.getTimeAdded() == null ? now : Instant.parse(taint.getTimeAdded());
                Instant at = added.plusSeconds(Math.max(0, seconds));
                due = due == null || at.isBefore(due) ? at : due;
            }
        }
        return Optional.ofNullable(due);
    }
}
