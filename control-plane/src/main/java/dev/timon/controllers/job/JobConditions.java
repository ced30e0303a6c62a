package dev.timon.controllers.job;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reading and writing Job status conditions. */
public final class JobConditions {

    private JobConditions() {
    }

    /** The Complete or Failed condition when it is True: the job is done. */
    public static Optional<JobCondition> finishedCondition(Job job) {
        return job.getStatus() == null || job.getStatus().getConditions() == null ? Optional.empty()
                : job.getStatus().getConditions().stream()
                .filter(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()))
                .findFirst();
    }

    public static boolean isFinished(Job job) {
        return finishedCondition(job).isPresent();
    }

    static void set(List<JobCondition> conditions, String type, String reason, String message, Instant now) {
        conditions.removeIf(c -> type.equals(c.getType()));
        conditions.add(new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).withMessage(message)
                .withLastProbeTime(now.toString()).withLastTransitionTime(now.toString()).build());
    }
}
