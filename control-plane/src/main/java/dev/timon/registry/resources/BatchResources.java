package dev.timon.registry.resources;

import dev.timon.registry.printers.CronJobColumns;
import dev.timon.registry.printers.JobColumns;
import dev.timon.apimachinery.FieldErrors;
import dev.timon.registry.ResourceDefinition;
import dev.timon.registry.ResourceStrategy;
import dev.timon.registry.Subresource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** batch/v1 jobs and cronjobs. */
public final class BatchResources {

    public static final String CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
    public static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
    private static final List<String> JOB_RESTART_POLICIES = List.of("OnFailure", "Never");

    private BatchResources() {
    }

    public static ResourceDefinition<Job> jobs() {
        return ResourceDefinition.of(Job.class, "batch", "v1", "Job", "jobs")
                .columns(JobColumns.columns())
                .inCategoryAll()
                .subresources(Subresource.STATUS)
                .strategy(new Workloads.TemplatedStrategy<>(Job::getSpec, j -> j.getSpec().getTemplate(),
                        j -> j.getSpec().getSelector(), j -> j.setStatus(new JobStatus())) {
                    @Override
                    public void applyDefaults(Job job) {
                        JobSpec spec = job.getSpec();
                        if (spec == null) {
                            return;
                        }
                        super.applyDefaults(job);
                        if (spec.getCompletions() == null && spec.getParallelism() == null) {
                            spec.setCompletions(1);
                        }
                        if (spec.getParallelism() == null) {
                            spec.setParallelism(1);
                        }
                        if (spec.getBackoffLimit() == null) {
                            spec.setBackoffLimit(6);
                        }
                        if (spec.getCompletionMode() == null) {
                            spec.setCompletionMode("NonIndexed");
                        }
                        if (spec.getSuspend() == null) {
                            spec.setSuspend(false);
                        }
                        if (spec.getPodReplacementPolicy() == null) {
                            spec.setPodReplacementPolicy("TerminatingOrFailed");
                        }
                        if (spec.getManualSelector() == null || !spec.getManualSelector()) {
                            generateSelector(job);
                        }
                    }

                    @Override
                    public void validate(Job job, FieldErrors errors) {
                        super.validate(job, errors);
                        PodTemplateSpec template = job.getSpec() == null ? null : job.getSpec().getTemplate();
                        if (template != null && template.getSpec() != null
                                && !JOB_RESTART_POLICIES.contains(template.getSpec().getRestartPolicy())) {
                            errors.notSupported("spec.template.spec.restartPolicy", template.getSpec().getRestartPolicy(),
                                    JOB_RESTART_POLICIES);
                        }
                    }
                })
                .build();
    }

    /** The selector upstream generates: the job's uid as a label on the template and in the selector. */
    static void generateSelector(Job job) {
        String uid = job.getMetadata().getUid();
        PodTemplateSpec template = job.getSpec().getTemplate();
        if (uid == null || template == null) {
            return;
        }
        if (template.getMetadata() == null) {
            template.setMetadata(new ObjectMeta());
        }
        Map<String, String> labels = template.getMetadata().getLabels() == null
                ? new HashMap<>() : new HashMap<>(template.getMetadata().getLabels());
        labels.putIfAbsent(CONTROLLER_UID_LABEL, uid);
        labels.putIfAbsent(JOB_NAME_LABEL, job.getMetadata().getName());
        labels.putIfAbsent("controller-uid", uid);
        labels.putIfAbsent("job-name", job.getMetadata().getName());
        template.getMetadata().setLabels(labels);
        if (job.getSpec().getSelector() == null) {
            LabelSelector selector = new LabelSelector();
            selector.setMatchLabels(Map.of(CONTROLLER_UID_LABEL, uid));
            job.getSpec().setSelector(selector);
        }
    }

    public static ResourceDefinition<CronJob> cronJobs() {
        return ResourceDefinition.of(CronJob.class, "batch", "v1", "CronJob", "cronjobs")
                .shortNames("cj")
                .columns(CronJobColumns.columns())
                .inCategoryAll()
                .subresources(Subresource.STATUS)
                .strategy(new ResourceStrategy<>() {
                    @Override
                    public boolean tracksGeneration() {
                        return true;
                    }

                    @Override
                    public void prepareForCreate(CronJob cronJob) {
                        cronJob.setStatus(new CronJobStatus());
                    }

                    @Override
                    public void applyDefaults(CronJob cronJob) {
                        CronJobSpec spec = cronJob.getSpec();
                        if (spec == null) {
                            return;
                        }
                        if (spec.getConcurrencyPolicy() == null) {
                            spec.setConcurrencyPolicy("Allow");
                        }
                        if (spec.getSuspend() == null) {
                            spec.setSuspend(false);
                        }
                        if (spec.getSuccessfulJobsHistoryLimit() == null) {
                            spec.setSuccessfulJobsHistoryLimit(3);
                        }
                        if (spec.getFailedJobsHistoryLimit() == null) {
                            spec.setFailedJobsHistoryLimit(1);
                        }
                        if (spec.getJobTemplate() != null && spec.getJobTemplate().getSpec() != null) {
                            PodTemplates.applyDefaults(spec.getJobTemplate().getSpec().getTemplate());
                        }
                    }

                    @Override
                    public void validate(CronJob cronJob, FieldErrors errors) {
                        if (cronJob.getSpec() == null) {
                            errors.required("spec");
                            return;
                        }
                        if (cronJob.getSpec().getSchedule() == null || cronJob.getSpec().getSchedule().isBlank()) {
                            errors.required("spec.schedule");
                        }
                        if (cronJob.getSpec().getJobTemplate() == null) {
                            errors.required("spec.jobTemplate");
                        }
                    }
                })
                .build();
    }
}
