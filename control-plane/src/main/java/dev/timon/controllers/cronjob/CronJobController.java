package dev.timon.controllers.cronjob;

import dev.timon.client.Informers;
import dev.timon.controllers.Controller;
import dev.timon.controllers.ControllerContext;
import dev.timon.controllers.ObjectKeys;
import dev.timon.controllers.PodControl;
import dev.timon.controllers.job.JobConditions;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Starts a Job for each CronJob schedule time, named {@code <cronjob>-<scheduled minutes since epoch>} so a
 * time is never run twice; honours concurrencyPolicy, startingDeadlineSeconds, suspend and the history
 * limits, and sleeps until the next schedule time. The clock is injectable for tests. Keys are CronJobs.
 */
public final class CronJobController extends Controller {

    static final String SCHEDULED_TIMESTAMP_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    private static final int MISSED_LIMIT = 100;

    private final ControllerContext context;
    private final Clock clock;

    public CronJobController(ControllerContext context) {
        this(context, Clock.systemUTC());
    }

    public CronJobController(ControllerContext context, Clock clock) {
        super("cronjob", 2);
        this.context = context;
        this.clock = clock;
        context.informers().forType(CronJob.class).addEventHandler(enqueueing());
        context.informers().forType(Job.class).addEventHandler(on((Job job) -> ObjectKeys.controllerOf(job)
                .filter(ref -> "CronJob".equals(ref.getKind()))
                .ifPresent(ref -> queue.add(ObjectKeys.key(job.getMetadata().getNamespace(), ref.getName())))));
    }

    @Override
    protected void reconcile(String key) {
        CronJob cj = context.informers().get(CronJob.class, ObjectKeys.namespace(key), ObjectKeys.name(key));
        if (cj == null || ObjectKeys.isDeleting(cj)) {
            return;
        }
        ZoneId zone;
        CronSchedule schedule;
        try {
            zone = cj.getSpec().getTimeZone() == null ? ZoneId.systemDefault() : ZoneId.of(cj.getSpec().getTimeZone());
        } catch (RuntimeException e) {
            context.events().warning(cj, "UnknownTimeZone", "invalid timeZone: \"" + cj.getSpec().getTimeZone() + "\": " + e.getMessage());
            return;
        }
        try {
            schedule = CronSchedule.parse(cj.getSpec().getSchedule());
        } catch (IllegalArgumentException e) {
            context.events().warning(cj, "InvalidSchedule", "invalid schedule: " + cj.getSpec().getSchedule() + " : " + e.getMessage());
            return;
        }
        String uid = cj.getMetadata().getUid();
        List<Job> jobs = context.informers().byIndex(Job.class, Informers.BY_OWNER, uid).stream()
                .filter(j -> ObjectKeys.controllerOf(j).map(r -> uid.equals(r.getUid())).orElse(false)).toList();
        // A copy to change: the cached status is shared.
        CronJobStatus status = Objects.requireNonNullElseGet(new CronJobBuilder(cj).build().getStatus(), CronJobStatus::new);
        List<ObjectReference> active = new ArrayList<>();
        for (Job job : jobs) {
            boolean wasActive = status.getActive() != null && status.getActive().stream()
                    .anyMatch(r -> job.getMetadata().getUid().equals(r.getUid()));
            Optional<String> finished = JobConditions.finishedCondition(job).map(c -> c.getType());
            if (finished.isEmpty()) {
                if (!ObjectKeys.isDeleting(job)) {
                    active.add(reference(job));
                }
            } else if (wasActive) {
                context.events().normal(cj, "SawCompletedJob", "Saw completed job: " + job.getMetadata().getName()
                        + ", status: " + finished.get());
            }
            if ("Complete".equals(finished.orElse(null)) && job.getStatus().getCompletionTime() != null
                    && (status.getLastSuccessfulTime() == null
                    || Instant.parse(job.getStatus().getCompletionTime()).isAfter(Instant.parse(status.getLastSuccessfulTime())))) {
                status.setLastSuccessfulTime(job.getStatus().getCompletionTime());
            }
        }
        removeOldJobs(cj, jobs, "Complete", cj.getSpec().getSuccessfulJobsHistoryLimit());
        removeOldJobs(cj, jobs, "Failed", cj.getSpec().getFailedJobsHistoryLimit());

        ZonedDateTime now = clock.instant().atZone(zone);
        if (!Boolean.TRUE.equals(cj.getSpec().getSuspend())) {
            startDueJob(cj, schedule, zone, now, jobs, active, status);
            schedule.next(now, zone).ifPresent(next -> queue.addAfter(key,
                    Duration.between(now.toInstant(), next.toInstant()).plusMillis(100)));
        }
        status.setActive(active);
        if (!Objects.equals(status, cj.getStatus())) {
            // A plain write: on a conflict the key is retried from a fresh cache. This status carries fields over
            // from the cached one (lastScheduleTime), which a stale copy would set back (see StatusWrites).
            context.client().resources(CronJob.class).inNamespace(cj.getMetadata().getNamespace())
                    .resource(new CronJobBuilder(cj).withStatus(status).build()).updateStatus();
        }
    }

    private void startDueJob(CronJob cj, CronSchedule schedule, ZoneId zone, ZonedDateTime now, List<Job> jobs,
                             List<ObjectReference> active, CronJobStatus status) {
        ZonedDateTime earliest = ZonedDateTime.parse(status.getLastScheduleTime() != null ? status.getLastScheduleTime()
                : cj.getMetadata().getCreationTimestamp());
        Long deadline = cj.getSpec().getStartingDeadlineSeconds();
        if (deadline != null && earliest.toInstant().isBefore(now.toInstant().minusSeconds(deadline))) {
            earliest = now.minusSeconds(deadline);
        }
        Optional<CronSchedule.Missed> missed = schedule.mostRecent(earliest, now, zone, MISSED_LIMIT);
        if (missed.isEmpty()) {
            return;
        }
        if (missed.get().count() > MISSED_LIMIT) {
            context.events().warning(cj, "TooManyMissedTimes", "too many missed start times: " + missed.get().count()
                    + ". Set or decrease .spec.startingDeadlineSeconds or check clock skew");
        }
        ZonedDateTime scheduled = missed.get().time();
        if (deadline != null && scheduled.toInstant().plusSeconds(deadline).isBefore(now.toInstant())) {
            context.events().warning(cj, "MissSchedule", "Missed scheduled time to start a job: " + scheduled.toOffsetDateTime());
            return;
        }
        String name = cj.getMetadata().getName() + "-" + scheduled.toEpochSecond() / 60;
        if (jobs.stream().anyMatch(j -> name.equals(j.getMetadata().getName()))) {
            return;
        }
        String policy = Objects.requireNonNullElse(cj.getSpec().getConcurrencyPolicy(), "Allow");
        if ("Forbid".equals(policy) && !active.isEmpty()) {
            context.events().normal(cj, "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid");
            return;
        }
        if ("Replace".equals(policy)) {
            for (ObjectReference ref : List.copyOf(active)) {
                context.client().resources(Job.class).inNamespace(cj.getMetadata().getNamespace()).withName(ref.getName())
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
                context.events().normal(cj, "SuccessfulDelete", "Deleted job " + ref.getName());
                active.remove(ref);
            }
        }
        Job job = jobFor(cj, name, scheduled);
        try {
            job = context.client().resources(Job.class).inNamespace(cj.getMetadata().getNamespace()).resource(job).create();
            context.events().normal(cj, "SuccessfulCreate", "Created job " + name);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                context.events().warning(cj, "FailedCreate", "Error creating job: " + e.getMessage());
                throw e;
            }
            job = context.client().resources(Job.class).inNamespace(cj.getMetadata().getNamespace()).withName(name).get();
        }
        active.add(reference(job));
        status.setLastScheduleTime(scheduled.toInstant().toString());
    }

    private static Job jobFor(CronJob cj, String name, ZonedDateTime scheduled) {
        var template = cj.getSpec().getJobTemplate();
        Map<String, String> annotations = template.getMetadata() == null || template.getMetadata().getAnnotations() == null
                ? new HashMap<>() : new HashMap<>(template.getMetadata().getAnnotations());
        annotations.put(SCHEDULED_TIMESTAMP_ANNOTATION, scheduled.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        return new JobBuilder().withNewMetadata().withName(name).withNamespace(cj.getMetadata().getNamespace())
                .withLabels(template.getMetadata() == null ? null : template.getMetadata().getLabels())
                .withAnnotations(annotations).withOwnerReferences(PodControl.controllerRef(cj)).endMetadata()
                .withSpec(template.getSpec()).build();
    }

    /** Deletes the oldest finished jobs of one outcome beyond the history limit. */
    private void removeOldJobs(CronJob cj, List<Job> jobs, String outcome, Integer limit) {
        if (limit == null) {
            return;
        }
        List<Job> finished = jobs.stream().filter(j -> !ObjectKeys.isDeleting(j))
                .filter(j -> JobConditions.finishedCondition(j).map(c -> outcome.equals(c.getType())).orElse(false))
                .sorted(Comparator.comparing((Job j) -> j.getMetadata().getCreationTimestamp())).toList();
        for (Job job : finished.subList(0, Math.max(0, finished.size() - limit))) {
            context.client().resources(Job.class).inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                    .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            context.events().normal(cj, "SuccessfulDelete", "Deleted job " + job.getMetadata().getName());
        }
    }

    private static ObjectReference reference(Job job) {
        return new ObjectReferenceBuilder().withApiVersion("batch/v1").withKind("Job").withName(job.getMetadata().getName())
                .withNamespace(job.getMetadata().getNamespace()).withUid(job.getMetadata().getUid()).build();
    }
}
