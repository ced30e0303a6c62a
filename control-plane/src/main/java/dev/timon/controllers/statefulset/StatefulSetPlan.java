package dev.timon.controllers.statefulset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The next step for a StatefulSet's pods, decided from their state alone. OrderedReady creates ordinal i
 * only once 0..i-1 are Running and Ready and removes surplus pods from the highest ordinal, one at a time;
 * Parallel creates and removes all at once. A rolling update then replaces, from the highest ordinal down to
 * the partition, one pod of an old revision at a time, and only while every pod is healthy.
 */
public final class StatefulSetPlan {

    /** @param healthy Running and Ready; @param failed phase Failed (replaced like a missing pod) */
    public record PodState(String revision, boolean healthy, boolean terminating, boolean failed) {
    }

    public record Step(List<Integer> create, List<Integer> delete) {
        static Step none() {
            return new Step(List.of(), List.of());
        }

        public boolean isEmpty() {
            return create.isEmpty() && delete.isEmpty();
        }
    }

    private StatefulSetPlan() {
    }

    public static Step next(int replicas, boolean parallel, int partition, String updateRevision, Map<Integer, PodState> pods) {
        List<Integer> create = new ArrayList<>();
        List<Integer> delete = new ArrayList<>();
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            PodState pod = pods.get(ordinal);
            if (pod == null) {
                create.add(ordinal);
                if (!parallel) {
                    return new Step(create, delete);
                }
            } else if (pod.failed() && !pod.terminating()) {
                delete.add(ordinal);
                if (!parallel) {
                    return new Step(create, delete);
                }
            } else if (!parallel && (pod.terminating() || !pod.healthy())) {
                return Step.none();
            }
        }
        List<Integer> condemned = pods.keySet().stream().filter(o -> o >= replicas).sorted((a, b) -> b - a).toList();
        for (int ordinal : condemned) {
            PodState pod = pods.get(ordinal);
            if (parallel) {
                if (!pod.terminating()) {
                    delete.add(ordinal);
                }
            } else {
                // One at a time from the highest, and only once every pod is healthy.
                boolean othersHealthy = pods.entrySet().stream().filter(e -> e.getKey() != ordinal)
                        .allMatch(e -> e.getValue().healthy() && !e.getValue().terminating());
                if (!pod.terminating() && othersHealthy) {
                    delete.add(ordinal);
                }
                return new Step(create, delete);
            }
        }
        if (!create.isEmpty() || !delete.isEmpty() || !condemned.isEmpty()) {
            return new Step(create, delete);
        }
        boolean allHealthy = pods.values().stream().allMatch(p -> p.healthy() && !p.terminating());
        if (!allHealthy) {
            return Step.none();
        }
        for (int ordinal = replicas - 1; ordinal >= partition; ordinal--) {
            PodState pod = pods.get(ordinal);
            if (pod != null && !updateRevision.equals(pod.revision())) {
                return new Step(List.of(), List.of(ordinal));
            }
        }
        return Step.none();
    }
}
