package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.timon.registry.printers.Cells.ago;
import static dev.timon.registry.printers.Cells.cell;
import static org.junit.jupiter.api.Assertions.assertEquals;

class JobColumnsTest {

    private final List<TableColumn<Job>> columns = JobColumns.columns(Cells.CLOCK);

    @Test
    void columnsInUpstreamOrder() {
        assertEquals(List.of("Name", "Status", "Completions", "Duration", "Age", "Containers", "Images",
                "Selector"), Cells.names(columns));
    }

    @Test
    void completedJob() {
        Job job = job().withNewStatus().withSucceeded(1).withStartTime(ago(600)).withCompletionTime(ago(575))
                .addNewCondition().withType("Complete").withStatus("True").endCondition().endStatus().build();
        assertEquals("Complete", cell(columns, "Status", job));
        assertEquals("1/1", cell(columns, "Completions", job));
        assertEquals("25s", cell(columns, "Duration", job));
    }

    @Test
    void runningJobDurationCountsToNow() {
        Job job = job().withNewStatus().withStartTime(ago(150)).withActive(1).endStatus().build();
        assertEquals("Running", cell(columns, "Status", job));
        assertEquals("0/1", cell(columns, "Completions", job));
        assertEquals("2m30s", cell(columns, "Duration", job));
    }

    @Test
    void unstartedJobHasNoDuration() {
        assertEquals("", cell(columns, "Duration", job().build()));
    }

    @Test
    void failedJob() {
        Job job = job().withNewStatus().addNewCondition().withType("FailureTarget").withStatus("True").endCondition()
                .addNewCondition().withType("Failed").withStatus("True").endCondition().endStatus().build();
        assertEquals("Failed", cell(columns, "Status", job));
    }

    @Test
    void failureTargetBeforeFailed() {
        Job job = job().withNewStatus().addNewCondition().withType("FailureTarget").withStatus("True").endCondition()
                .endStatus().build();
        assertEquals("FailureTarget", cell(columns, "Status", job));
    }

    @Test
    void suspendedJob() {
        Job job = job().withNewStatus().addNewCondition().withType("Suspended").withStatus("True").endCondition()
                .endStatus().build();
        assertEquals("Suspended", cell(columns, "Status", job));
    }

    @Test
    void deletedUnfinishedJobIsTerminating() {
        Job job = job().editMetadata().withDeletionTimestamp(ago(1)).endMetadata().build();
        assertEquals("Terminating", cell(columns, "Status", job));
    }

    @Test
    void completionsWithParallelWorkersAndFixedCount() {
        assertEquals("0/1 of 3", cell(columns, "Completions", job().editSpec().withParallelism(3).endSpec().build()));
        assertEquals("2/5", cell(columns, "Completions", job().editSpec().withCompletions(5).endSpec()
                .withNewStatus().withSucceeded(2).endStatus().build()));
    }

    @Test
    void selectorWithExpressions() {
        Job job = job().editSpec().withNewSelector().addToMatchLabels("job-name", "pi")
                .addNewMatchExpression().withKey("tier").withOperator("In").withValues("b", "a").endMatchExpression()
                .addNewMatchExpression().withKey("canary").withOperator("DoesNotExist").endMatchExpression()
                .endSelector().endSpec().build();
        assertEquals("!canary,job-name=pi,tier in (a,b)", cell(columns, "Selector", job));
    }

    private static JobBuilder job() {
        return new JobBuilder().withNewMetadata().withName("pi").withCreationTimestamp(ago(700)).endMetadata()
                .withNewSpec().endSpec();
    }
}
