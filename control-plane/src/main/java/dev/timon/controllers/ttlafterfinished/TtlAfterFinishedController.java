package dev.timon.controllers.ttlafterfinished;

import dev.timon.controllers.Controller;
import dev.timon.controllers.ControllerContext;
import dev.timon.controllers.ObjectKeys;
import dev.timon.controllers.job.JobConditions;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Deletes finished Jobs (with their pods, in the foreground) once ttlSecondsAfterFinished has passed. */
public final class TtlAfterFinishedController extends Controller {

    private final ControllerContext context;
    private final Clock clock;

    public TtlAfterFinishedController(ControllerContext context) {
        super("ttl-after-finished", 2);
        this.context = context;
        this.clock = Clock.systemUTC();
        context.informers().forType(Job.class).addEventHandler(on((Job job) -> {
            if (job.getSpec().getTtlSecondsAfterFinished() != null && JobConditions.isFinished(job)) {
                enqueue(job);
            }
        }));
    }

    @Override
    protected void reconcile(String key) {
        Job job = context.informers().get(Job.class, ObjectKeys.namespace(key), ObjectKeys.name(key));
        if (job == null || ObjectKeys.isDeleting(job) || job.getSpec().getTtlSecondsAfterFinished() == null) {
            return;
        }
        Optional<JobCondition> finished = JobConditions.finishedCondition(job);
        if (finished.isEmpty()) {
            return;
        }
        String finishedAt = finished.get().getLastTransitionTime() != null ? finished.get().getLastTransitionTime()
                : job.getStatus().getCompletionTime();
        Instant expiry = Instant.parse(finishedAt).plusSeconds(job.getSpec().getTtlSecondsAfterFinished());
        Duration left = Duration.between(clock.instant(), expiry);
        if (left.isNegative() || left.isZero()) {
            context.client().resources(Job.class).inNamespace(job.getMetadata().getNamespace())
                    .withName(job.getMetadata().getName()).withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
        } else {
            queue.addAfter(key, left);
        }
    }
}
