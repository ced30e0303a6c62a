package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;

import java.time.Clock;
import java.util.List;

/**
 * batch/v1 cronjobs: Name, Schedule, Timezone, Suspend, Active, Last Schedule, Age, then Containers, Images,
 * Selector (wide).
 */
public final class CronJobColumns {

    private CronJobColumns() {
    }

    public static List<TableColumn<CronJob>> columns() {
        return columns(Clock.systemUTC());
    }

    public static List<TableColumn<CronJob>> columns(Clock clock) {
        return List.of(
                CommonColumns.name(),
                TableColumn.of("Schedule", "string", "Cron expression the jobs are started on.",
                        c -> CommonColumns.text(spec(c).getSchedule())),
                TableColumn.of("Timezone", "string", "Time zone the schedule is read in.",
                        c -> CommonColumns.orNone(spec(c).getTimeZone())),
                // Declared boolean upstream, yet the cell is the text True/False/<unset>; kept as upstream sends it.
                TableColumn.of("Suspend", "boolean", "Whether new runs are held back.",
                        c -> spec(c).getSuspend() == null ? "<unset>" : spec(c).getSuspend() ? "True" : "False"),
                TableColumn.of("Active", "integer", "Jobs of this cron job that are running now.",
                        c -> c.getStatus() == null ? 0L : CommonColumns.size(c.getStatus().getActive())),
                TableColumn.of("Last Schedule", "string", "Time since a job was last scheduled.",
                        c -> c.getStatus() == null || c.getStatus().getLastScheduleTime() == null ? CommonColumns.NONE
                                : Ages.age(c.getStatus().getLastScheduleTime(), clock.instant())),
                CommonColumns.age(clock),
                TemplateColumns.containers(CronJobColumns::podTemplate),
                TemplateColumns.images(CronJobColumns::podTemplate),
                TemplateColumns.selector(c -> LabelSelectors.format(jobSpec(c).getSelector())));
    }

    private static PodTemplateSpec podTemplate(CronJob c) {
        return jobSpec(c).getTemplate();
    }

    private static JobSpec jobSpec(CronJob c) {
        CronJobSpec spec = spec(c);
        return spec.getJobTemplate() == null || spec.getJobTemplate().getSpec() == null
                ? new JobSpec() : spec.getJobTemplate().getSpec();
    }

    private static CronJobSpec spec(CronJob c) {
        return c.getSpec() == null ? new CronJobSpec() : c.getSpec();
    }
}
