package dev.timon.controllers.replicaset;

import dev.timon.controllers.PodConditions;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Which pods to delete first when scaling down, as upstream's ActivePods ordering: the least useful first. */
final class PodRanking {

    private PodRanking() {
    }

    static List<Pod> deletionOrder(List<Pod> pods) {
        List<Pod> sorted = new ArrayList<>(pods);
        sorted.sort(Comparator
                .comparing((Pod p) -> p.getSpec().getNodeName() != null)   // unscheduled first
                .thenComparing(PodRanking::phaseRank)                       // Pending, Unknown, Running
                .thenComparing(PodConditions::isReady)                      // not ready first
                .thenComparing(PodRanking::readySince, Comparator.reverseOrder()) // ready for less time first
                .thenComparing(PodRanking::restarts, Comparator.reverseOrder())
                .thenComparing(p -> p.getMetadata().getCreationTimestamp(), Comparator.nullsLast(Comparator.reverseOrder())));
        return sorted;
    }

    private static int phaseRank(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Running".equals(phase)) {
            return 2;
        }
        return "Pending".equals(phase) || phase == null ? 0 : 1;
    }

    private static Instant readySince(Pod pod) {
        Instant since = PodConditions.readySince(pod);
        return since == null ? Instant.EPOCH : since;
    }

    private static int restarts(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return 0;
        }
        return pod.getStatus().getContainerStatuses().stream().mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount()).sum();
    }
}
