package dev.timon.controllers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.time.Instant;

/** Pod states controllers count by, as upstream's podutil. */
public final class PodConditions {

    private PodConditions() {
    }

    /** Succeeded or Failed: its containers will not run again. */
    public static boolean isFinished(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** Not finished and not being deleted: what upstream counts as an active pod. */
    public static boolean isActive(Pod pod) {
        return !isFinished(pod) && !ObjectKeys.isDeleting(pod);
    }

    public static boolean isReady(Pod pod) {
        return readySince(pod) != null;
    }

    /** Ready for at least minReadySeconds at {@code now}. */
    public static boolean isAvailable(Pod pod, int minReadySeconds, Instant now) {
        Instant since = readySince(pod);
        return since != null && (minReadySeconds == 0 || !since.plusSeconds(minReadySeconds).isAfter(now));
    }

    /** When the Ready condition last became True, or null when the pod is not ready. */
    public static Instant readySince(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        for (PodCondition condition : pod.getStatus().getConditions()) {
            if ("Ready".equals(condition.getType())) {
                if (!"True".equals(condition.getStatus())) {
                    return null;
                }
                String at = condition.getLastTransitionTime();
                return at == null ? Instant.EPOCH : Instant.parse(at);
            }
        }
        return null;
    }
}
