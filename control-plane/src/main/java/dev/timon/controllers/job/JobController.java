package dev.timon.controllers.job;

import dev.timon.controllers.Controller;
import dev.timon.controllers.ControllerContext;
import dev.timon.controllers.Expectations;
import dev.timon.controllers.ObjectKeys;
import dev.timon.controllers.ControllerRefs;
import dev.timon.controllers.PodConditions;
import dev.timon.controllers.PodControl;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a Job's pods to completion: keeps min(parallelism, remaining completions) pods active, counts
 * succeeded and failed pods from the pods themselves (no job-tracking finalizer: pods deleted by someone else
 * are forgotten), fails the job past backoffLimit or activeDeadlineSeconds, and writes the 1.32 conditions
 * (SuccessCriteriaMet then Complete, FailureTarget then Failed).
 */
public final class JobController extends Controller {

    /** Upstream's pod-failure back-off: 10 s doubling per failure, at most 6 minutes. */
    private static final Duration BACKOFF_BASE = Duration.ofSeconds(10);
    private static final Duration BACKOFF_MAX = Duration.ofMinutes(6);

    private final ControllerContext context;
    private final Expectations expectations = new Expectations();
    private final Clock clock;

    public JobController(ControllerContext context) {
        this(context, Clock.systemUTC());
    }

    JobController(ControllerContext context, Clock clock) {
        super("job", 4);
        this.context = context;
        this.clock = clock;
        context.informers().forType(Job.class).addEventHandler(enqueueing());
        context.informers().forType(Pod.class).addEventHandler(ownedPods("Job", expectations));
    }

    @Override
    protected void reconcile(String key) {
        Job job = context.informers().get(Job.class, ObjectKeys.namespace(key), ObjectKeys.name(key));
        if (job == null) {
            expectations.forget(key);
            return;
        }
        if (JobConditions.isFinished(job) || ObjectKeys.isDeleting(job) || !expectations.satisfied(key)) {
            return;
        }
        JobSpec spec = job.getSpec();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        List<Pod> pods = ControllerRefs.controlledBy(job, context.informers());
        List<Pod> active = new ArrayList<>(pods.stream().filter(PodConditions::isActive).toList());
        int succeeded = (int) pods.stream().filter(p -> "Succeeded".equals(p.getStatus().getPhase())).count();
        int failed = (int) pods.stream().filter(p -> "Failed".equals(p.getStatus().getPhase())).count();

        // A copy to change: the cached status is shared.
        JobStatus status = Objects.requireNonNullElseGet(new JobBuilder(job).build().getStatus(), JobStatus::new);
        boolean suspended = Boolean.TRUE.equals(spec.getSuspend());
        if (status.getStartTime() == null && !suspended) {
            status.setStartTime(now.toString());
        }

        Failure failure = failure(job, status, failed, now);
        boolean complete = spec.getCompletions() != null ? succeeded >= spec.getCompletions() : succeeded > 0 && active.isEmpty();
        if (failure != null || complete) {
            deletePods(job, key, active);
            active.clear();
            List<JobCondition> conditions = status.getConditions() == null ? new ArrayList<>() : new ArrayList<>(status.getConditions());
            if (failure != null) {
                JobConditions.set(conditions, "FailureTarget", failure.reason, failure.message, now);
                JobConditions.set(conditions, "Failed", failure.reason, failure.message, now);
                context.events().warning(job, failure.reason, failure.message);
            } else {
                JobConditions.set(conditions, "SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", now);
                JobConditions.set(conditions, "Complete", "CompletionsReached", "Reached expected number of succeeded pods", now);
                status.setCompletionTime(now.toString());
                context.events().normal(job, "Completed", "Job completed");
            }
            status.setConditions(conditions);
        } else {
            int parallelism = suspended ? 0 : Objects.requireNonNullElse(spec.getParallelism(), 1);
            int wanted = spec.getCompletions() == null ? (succeeded > 0 ? 0 : parallelism)
                    : Math.max(0, Math.min(parallelism, spec.getCompletions() - succeeded));
            if (active.size() > wanted) {
                active.sort(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp()).reversed());
                List<Pod> surplus = List.copyOf(active.subList(0, active.size() - wanted));
                deletePods(job, key, surplus);
                active.removeAll(surplus);
            } else if (active.size() < wanted) {
                Duration backoff = backoff(pods, failed, now);
                if (backoff.isZero()) {
                    createPods(job, key, wanted - active.size());
                } else {
                    queue.addAfter(key, backoff);
                }
            }
            requeueAtDeadline(job, status, now, key);
        }
        status.setActive(active.size());
        status.setReady((int) active.stream().filter(PodConditions::isReady).count());
        status.setSucceeded(succeeded);
        status.setFailed(failed);
        if (!Objects.equals(status, job.getStatus())) {
            // A plain write: on a conflict the key is retried from a fresh cache. This status carries fields over
            // from the cached one (startTime, conditions), which a stale copy would set back (see StatusWrites).
            Job updated = new JobBuilder(job).withStatus(status).build();
            context.client().resources(Job.class).inNamespace(job.getMetadata().getNamespace()).resource(updated).updateStatus();
        }
    }

    private record Failure(String reason, String message) {
    }

    private static Failure failure(Job job, JobStatus status, int failed, Instant now) {
        if (failed > Objects.requireNonNullElse(job.getSpec().getBackoffLimit(), 6)) {
            return new Failure("BackoffLimitExceeded", "Job has reached the specified backoff limit");
        }
        Long deadline = job.getSpec().getActiveDeadlineSeconds();
        if (deadline != null && status.getStartTime() != null
                && !Instant.parse(status.getStartTime()).plusSeconds(deadline).isAfter(now)) {
            return new Failure("DeadlineExceeded", "Job was active longer than specified deadline");
        }
        return null;
    }

    private void requeueAtDeadline(Job job, JobStatus status, Instant now, String key) {
        Long deadline = job.getSpec().getActiveDeadlineSeconds();
        if (deadline != null && status.getStartTime() != null) {
            queue.addAfter(key, Duration.between(now, Instant.parse(status.getStartTime()).plusSeconds(deadline)));
        }
    }

    /** How long to wait before replacing failed pods: exponential in the failure count, from the last failure. */
    private static Duration backoff(List<Pod> pods, int failed, Instant now) {
        if (failed == 0) {
            return Duration.ZERO;
        }
        Duration delay = BACKOFF_BASE.multipliedBy(1L << Math.min(failed - 1, 10));
        delay = delay.compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : delay;
        Instant lastFailure = pods.stream().filter(p -> "Failed".equals(p.getStatus().getPhase()))
                .map(JobController::finishedAt).max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        Duration remaining = Duration.between(now, lastFailure.plus(delay));
        return remaining.isNegative() ? Duration.ZERO : remaining;
    }

    private static Instant finishedAt(Pod pod) {
        return pod.getStatus().getContainerStatuses() == null ? Instant.parse(pod.getMetadata().getCreationTimestamp())
                : pod.getStatus().getContainerStatuses().stream()
                .filter(c -> c.getState() != null && c.getState().getTerminated() != null
                        && c.getState().getTerminated().getFinishedAt() != null)
                .map(c -> Instant.parse(c.getState().getTerminated().getFinishedAt()))
                .max(Comparator.naturalOrder()).orElse(Instant.parse(pod.getMetadata().getCreationTimestamp()));
    }

    private void createPods(Job job, String key, int count) {
        expectations.expectCreations(key, count);
        for (int i = 0; i < count; i++) {
            Pod pod = PodControl.fromTemplate(job.getSpec().getTemplate(), job, Map.of());
            pod.getMetadata().setGenerateName(job.getMetadata().getName() + "-");
            try {
                Pod created = context.client().pods().inNamespace(job.getMetadata().getNamespace()).resource(pod).create();
                context.events().normal(job, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
            } catch (KubernetesClientException e) {
                if (namespaceTerminating(e)) {
                    return; // as upstream: every further create fails too; the expectations wait out their TTL
                }
                expectations.creationObserved(key);
                context.events().warning(job, "FailedCreate", "Error creating: " + e.getMessage());
                throw e;
            }
        }
    }

    private void deletePods(Job job, String key, List<Pod> pods) {
        if (pods.isEmpty()) {
            return;
        }
        expectations.expectDeletions(key, pods.stream().map(ObjectKeys::key).toList());
        for (Pod pod : pods) {
            context.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
            context.events().normal(job, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
        }
    }
}
