package dev.timon.controllers.deployment;

import dev.timon.controllers.ObjectKeys;
import dev.timon.controllers.WorkQueue;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Deployment status as `kubectl rollout status` reads it: counts summed over the ReplicaSets, observedGeneration,
 * the revision annotation, and the Available and Progressing conditions (with progressDeadlineSeconds).
 */
final class DeploymentStatusWriter {

    private final KubernetesClient client;
    private final WorkQueue<String> queue;

    DeploymentStatusWriter(KubernetesClient client, WorkQueue<String> queue) {
        this.client = client;
        this.queue = queue;
    }

    void write(Deployment d, ReplicaSet newRs, List<ReplicaSet> all, RolloutParameters p, boolean paused, boolean created) {
        DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        DeploymentStatus status = new DeploymentStatus();
        status.setObservedGeneration(d.getMetadata().getGeneration());
        status.setCollisionCount(old.getCollisionCount());
        int specTotal = 0;
        int replicas = 0;
        int ready = 0;
        int available = 0;
        for (ReplicaSet rs : all) {
            specTotal += DeploymentController.replicas(rs);
            if (rs.getStatus() != null) {
                replicas += Objects.requireNonNullElse(rs.getStatus().getReplicas(), 0);
                ready += Objects.requireNonNullElse(rs.getStatus().getReadyReplicas(), 0);
                available += Objects.requireNonNullElse(rs.getStatus().getAvailableReplicas(), 0);
            }
        }
        int updated = newRs == null || newRs.getStatus() == null ? 0
                : Objects.requireNonNullElse(newRs.getStatus().getReplicas(), 0);
        status.setReplicas(replicas);
        status.setUpdatedReplicas(updated);
        status.setReadyReplicas(ready);
        status.setAvailableReplicas(available);
        status.setUnavailableReplicas(Math.max(0, specTotal - available));

        Map<String, DeploymentCondition> conditions = new HashMap<>();
        if (old.getConditions() != null) {
            old.getConditions().forEach(c -> conditions.put(c.getType(), c));
        }
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        if (available >= p.minAvailable()) {
            set(conditions, "Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now);
        } else {
            set(conditions, "Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now);
        }
        String rsName = newRs == null ? "" : newRs.getMetadata().getName();
        boolean complete = newRs != null && updated == p.replicas() && available == p.replicas() && replicas == p.replicas();
        Integer deadline = d.getSpec().getProgressDeadlineSeconds();
        DeploymentCondition progressing = conditions.get("Progressing");
        if (paused) {
            set(conditions, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", now);
        } else if (complete) {
            set(conditions, "Progressing", "True", "NewReplicaSetAvailable",
                    "ReplicaSet \"" + rsName + "\" has successfully progressed.", now);
        } else if (created) {
            set(conditions, "Progressing", "True", "NewReplicaSetCreated", "Created new replica set \"" + rsName + "\"", now);
        } else if (progressing == null || madeProgress(old, status) || "DeploymentPaused".equals(progressing.getReason())) {
            set(conditions, "Progressing", "True", "ReplicaSetUpdated", "ReplicaSet \"" + rsName + "\" is progressing.", now, true);
        } else if (deadline != null && "True".equals(progressing.getStatus()) && progressing.getLastUpdateTime() != null) {
            Instant due = Instant.parse(progressing.getLastUpdateTime()).plusSeconds(deadline);
            if (!Instant.now().isBefore(due)) {
                set(conditions, "Progressing", "False", "ProgressDeadlineExceeded",
                        "ReplicaSet \"" + rsName + "\" has timed out progressing.", now);
            } else {
                queue.addAfter(ObjectKeys.key(d), Duration.between(Instant.now(), due).plusSeconds(1));
            }
        }
        List<DeploymentCondition> ordered = new ArrayList<>();
        for (String type : List.of("Available", "Progressing")) {
            if (conditions.containsKey(type)) {
                ordered.add(conditions.get(type));
            }
        }
        status.setConditions(ordered);

        String revision = newRs == null ? null : newRs.getMetadata().getAnnotations().get(DeploymentController.REVISION);
        boolean annotationChanged = revision != null && !revision.equals(annotation(d));
        if (status.equals(old) && !annotationChanged) {
            return;
        }
        Deployment copy = client.getKubernetesSerialization().clone(d);
        if (annotationChanged) {
            Map<String, String> annotations = new HashMap<>(Objects.requireNonNullElse(copy.getMetadata().getAnnotations(), Map.of()));
            annotations.put(DeploymentController.REVISION, revision);
            copy.getMetadata().setAnnotations(annotations);
            copy = client.resource(copy).update();
        }
        // A plain write: on a conflict the key is retried from a fresh cache. This status carries its conditions'
        // times over from the cached one, which a stale copy would set back (see StatusWrites).
        copy.setStatus(status);
        client.apps().deployments().resource(copy).updateStatus();
    }

    private static String annotation(Deployment d) {
        return d.getMetadata().getAnnotations() == null ? null : d.getMetadata().getAnnotations().get(DeploymentController.REVISION);
    }

    private static boolean madeProgress(DeploymentStatus before, DeploymentStatus after) {
        return !Objects.equals(before.getUpdatedReplicas(), after.getUpdatedReplicas())
                || !Objects.equals(before.getReplicas(), after.getReplicas())
                || !Objects.equals(before.getReadyReplicas(), after.getReadyReplicas())
                || !Objects.equals(before.getAvailableReplicas(), after.getAvailableReplicas());
    }

    /** Sets a condition; lastTransitionTime moves only when the status flips, lastUpdateTime when anything changes. */
    private static void set(Map<String, DeploymentCondition> conditions, String type, String status, String reason,
                            String message, String now) {
        set(conditions, type, status, reason, message, now, false);
    }

    /** With {@code refresh}, lastUpdateTime moves even if nothing else changes: progress restarts the deadline. */
    private static void set(Map<String, DeploymentCondition> conditions, String type, String status, String reason,
                            String message, String now, boolean refresh) {
        DeploymentCondition existing = conditions.get(type);
        if (!refresh && existing != null && status.equals(existing.getStatus()) && reason.equals(existing.getReason())
                && message.equals(existing.getMessage())) {
            return;
        }
        String transition = existing != null && status.equals(existing.getStatus()) ? existing.getLastTransitionTime() : now;
        conditions.put(type, new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withMessage(message).withLastUpdateTime(now).withLastTransitionTime(transition).build());
    }
}
