package dev.timon.controllers.daemonset;

import dev.timon.controllers.Selectors;
import dev.timon.controllers.Taints;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;

/**
 * Whether a node should run a daemon pod (upstream's nodeShouldRunDaemonPod): the node must match the pod's
 * nodeSelector and required node affinity, and the pod must tolerate the node's NoSchedule and NoExecute
 * taints. A pod already there may stay on a node whose only untolerated taints are NoSchedule.
 */
public final class DaemonEligibility {

    public record Verdict(boolean shouldRun, boolean shouldContinueRunning) {
    }

    private DaemonEligibility() {
    }

    public static Verdict of(Node node, PodSpec podSpec) {
        if (!Selectors.nodeMatches(podSpec, node)) {
            return new Verdict(false, false);
        }
        boolean shouldRun = true;
        List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
        List<Toleration> tolerations = podSpec.getTolerations() == null ? List.of() : podSpec.getTolerations();
        for (Taint taint : taints) {
            if ("PreferNoSchedule".equals(taint.getEffect()) || Taints.toleration(tolerations, taint).isPresent()) {
                continue;
            }
            if ("NoExecute".equals(taint.getEffect())) {
                return new Verdict(false, false);
            }
            shouldRun = false;
        }
        return new Verdict(shouldRun, true);
    }
}
