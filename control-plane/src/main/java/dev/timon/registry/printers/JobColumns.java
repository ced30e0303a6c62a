package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * batch/v1 jobs (the 1.32 layout): Name, Status, Completions, Duration, Age, then Containers, Images, Selector
 * (wide).
 */
public final class JobColumns {

    private JobColumns() {
    }

    public static List<TableColumn<Job>> columns() {
        return columns(Clock.systemUTC());
    }

    public static List<TableColumn<Job>> columns(Clock clock) {
        return List.of(
                CommonColumns.name(),
                TableColumn.of("Status", "string", "Where the job stands: Running, Complete, Failed and so on.",
                        JobColumns::status),
                TableColumn.of("Completions", "string", "Succeeded pods out of the completions wanted.",
                        JobColumns::completions),
                TableColumn.of("Duration", "string", "How long the job ran, or has been running.",
                        j -> duration(j, clock.instant())),
                CommonColumns.age(clock),
                TemplateColumns.containers(j -> spec(j).getTemplate()),
                TemplateColumns.images(j -> spec(j).getTemplate()),
                TemplateColumns.selector(j -> LabelSelectors.format(spec(j).getSelector())));
    }

    // Order matters: a finished job keeps its verdict even while it is being deleted.
    private static String status(Job j) {
        if (hasCondition(j, "Complete")) {
            return "Complete";
        }
        if (hasCondition(j, "Failed")) {
            return "Failed";
        }
        if (CommonColumns.meta(j).getDeletionTimestamp() != null) {
            return "Terminating";
        }
        if (hasCondition(j, "Suspended")) {
            return "Suspended";
        }
        if (hasCondition(j, "FailureTarget")) {
            return "FailureTarget";
        }
        return "Running";
    }

    // Without spec.completions any one success finishes the job, hence "/1"; parallel workers are mentioned.
    private static String completions(Job j) {
        long succeeded = j.getStatus() == null ? 0 : CommonColumns.count(j.getStatus().getSucceeded());
        JobSpec spec = spec(j);
        if (spec.getCompletions() != null) {
            return succeeded + "/" + spec.getCompletions();
        }
        long parallelism = CommonColumns.count(spec.getParallelism());
        return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
    }

    private static String duration(Job j, Instant now) {
        Instant start = Ages.parse(j.getStatus() == null ? null : j.getStatus().getStartTime());
        if (start == null) {
            return "";
        }
        Instant end = Ages.parse(j.getStatus().getCompletionTime());
        return Ages.humanDuration(Duration.between(start, end == null ? now : end));
    }

    /** The first condition of the type decides, as upstream only looks at that one. */
    private static boolean hasCondition(Job j, String type) {
        List<JobCondition> conditions = j.getStatus() == null ? List.of() : CommonColumns.list(j.getStatus().getConditions());
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst()
                .map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    private static JobSpec spec(Job j) {
        return j.getSpec() == null ? new JobSpec() : j.getSpec();
    }
}
