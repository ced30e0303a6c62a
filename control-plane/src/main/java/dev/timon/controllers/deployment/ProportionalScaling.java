package dev.timon.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Upstream's proportional scaling (deployment sync.go {@code scale} with {@code GetProportion}): when a Deployment
 * with several active ReplicaSets (paused, or in the middle of a rollout) is scaled, the replicas added or removed
 * are shared among them in proportion to their sizes, so the rollout keeps its ratio of new to old pods instead of
 * one ReplicaSet absorbing the whole change. A ReplicaSet's share is computed against the Deployment size it was
 * last scaled for, which its {@code deployment.kubernetes.io/max-replicas} annotation records.
 */
final class ProportionalScaling {

    private ProportionalScaling() {
    }

    /**
     * The new size of each active ReplicaSet, by name, in the order upstream writes them (the one taking the
     * rounding leftover first).
     *
     * @param active         ReplicaSets with replicas > 0
     * @param replicas       the Deployment's desired replicas
     * @param maxSurge       its resolved maxSurge
     * @param statusReplicas the Deployment's status.replicas, the fallback when a ReplicaSet lacks the annotation
     */
    static Map<String, Integer> sizes(List<ReplicaSet> active, int replicas, int maxSurge, int statusReplicas) {
        int allowed = replicas > 0 ? replicas + maxSurge : 0;
        int current = active.stream().mapToInt(DeploymentController::replicas).sum();
        int toAdd = allowed - current;
        List<ReplicaSet> ordered = new ArrayList<>(active);
        // Largest first; among equal sizes newer ones grow first and older ones shrink first.
        Comparator<ReplicaSet> byAge = Comparator.comparing(rs -> rs.getMetadata().getCreationTimestamp());
        Comparator<ReplicaSet> bySize = Comparator.comparingInt(DeploymentController::replicas).reversed();
        ordered.sort(bySize.thenComparing(toAdd > 0 ? byAge.reversed() : byAge));

        Map<String, Integer> sizes = new LinkedHashMap<>();
        int added = 0;
        for (ReplicaSet rs : ordered) {
            int proportion = proportion(rs, replicas, allowed, toAdd, added, statusReplicas);
            sizes.put(rs.getMetadata().getName(), DeploymentController.replicas(rs) + proportion);
            added += proportion;
        }
        if (toAdd != 0 && !ordered.isEmpty()) {
            String largest = ordered.get(0).getMetadata().getName();
            sizes.put(largest, Math.max(0, sizes.get(largest) + toAdd - added));
        }
        return sizes;
    }

    /** Upstream's GetProportion: the ReplicaSet's fraction of the change, never beyond what is left to add or remove. */
    private static int proportion(ReplicaSet rs, int replicas, int allowed, int toAdd, int added, int statusReplicas) {
        int size = DeploymentController.replicas(rs);
        if (size == 0 || toAdd == 0 || toAdd == added) {
            return 0;
        }
        int fraction = fraction(rs, size, replicas, allowed, statusReplicas);
        int left = toAdd - added;
        return toAdd > 0 ? Math.min(fraction, left) : Math.max(fraction, left);
    }

    /** Upstream's getReplicaSetFraction: the size this ReplicaSet would have if scaled like the whole Deployment. */
    private static int fraction(ReplicaSet rs, int size, int replicas, int allowed, int statusReplicas) {
        if (replicas == 0) {
            return -size;
        }
        int before = maxReplicasAnnotation(rs);
        if (before == 0) {
            // No annotation (a ReplicaSet edited by hand): fall back to the Deployment's current size.
            before = statusReplicas;
            if (before == 0) {
                return 0;
            }
        }
        return (int) Math.round((double) size * allowed / before) - size;
    }

    private static int maxReplicasAnnotation(ReplicaSet rs) {
        String value = DeploymentController.annotation(rs, DeploymentController.MAX_REPLICAS);
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
