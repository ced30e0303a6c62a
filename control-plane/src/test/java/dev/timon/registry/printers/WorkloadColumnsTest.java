package dev.timon.registry.printers;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.timon.registry.printers.Cells.cell;
import static org.junit.jupiter.api.Assertions.assertEquals;

class WorkloadColumnsTest {

    @Test
    void deploymentReadyCountsAndWideCells() {
        Deployment d = new DeploymentBuilder()
                .withNewMetadata().withName("web").withCreationTimestamp(Cells.ago(600)).endMetadata()
                .withNewSpec().withReplicas(3).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewSpec()
                .addNewContainer().withName("nginx").withImage("nginx:1.27").endContainer()
                .addNewContainer().withName("log").withImage("busybox").endContainer()
                .endSpec().endTemplate().endSpec()
                .withNewStatus().withReadyReplicas(2).withUpdatedReplicas(3).withAvailableReplicas(2).endStatus()
                .build();
        assertEquals(List.of("web", "2/3", 3L, 2L, "10m", "nginx,log", "nginx:1.27,busybox", "app=web"),
                DeploymentColumns.columns(Cells.CLOCK).stream().map(c -> c.cell().apply(d)).toList());
    }

    @Test
    void newDeploymentWithoutStatusIsZeroReady() {
        Deployment d = new DeploymentBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(1).endSpec().build();
        assertEquals("0/1", cell(DeploymentColumns.columns(Cells.CLOCK), "Ready", d));
        assertEquals("", cell(DeploymentColumns.columns(Cells.CLOCK), "Selector", d));
    }

    @Test
    void replicaSetCountsAreIntegers() {
        var rs = new ReplicaSetBuilder().withNewMetadata().withName("web-1").endMetadata()
                .withNewSpec().withReplicas(2).endSpec().withNewStatus().withReplicas(2).withReadyReplicas(1)
                .endStatus().build();
        var columns = ReplicaSetColumns.columns(Cells.CLOCK);
        assertEquals(2L, cell(columns, "Desired", rs));
        assertEquals(1L, cell(columns, "Ready", rs));
        assertEquals("<none>", cell(columns, "Selector", rs));
    }

    @Test
    void statefulSetReady() {
        var sts = new StatefulSetBuilder().withNewMetadata().withName("db").endMetadata()
                .withNewSpec().withReplicas(3).endSpec().withNewStatus().withReadyReplicas(1).endStatus().build();
        assertEquals("1/3", cell(StatefulSetColumns.columns(Cells.CLOCK), "Ready", sts));
    }

    @Test
    void daemonSetNodeSelector() {
        DaemonSet ds = new DaemonSetBuilder().withNewMetadata().withName("agent").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addToNodeSelector("kubernetes.io/os", "linux")
                .endSpec().endTemplate().endSpec()
                .withNewStatus().withDesiredNumberScheduled(2).withNumberReady(1).endStatus().build();
        var columns = DaemonSetColumns.columns(Cells.CLOCK);
        assertEquals(List.of("Name", "Desired", "Current", "Ready", "Up-to-date", "Available", "Node Selector",
                "Age", "Containers", "Images", "Selector"), Cells.names(columns));
        assertEquals(2L, cell(columns, "Desired", ds));
        assertEquals(0L, cell(columns, "Current", ds));
        assertEquals("kubernetes.io/os=linux", cell(columns, "Node Selector", ds));
    }

    @Test
    void cronJobCells() {
        CronJob cj = new CronJobBuilder().withNewMetadata().withName("backup").endMetadata()
                .withNewSpec().withSchedule("*/5 * * * *").withSuspend(false).endSpec()
                .withNewStatus().withLastScheduleTime(Cells.ago(90)).addNewActive().withName("backup-1").endActive()
                .endStatus().build();
        var columns = CronJobColumns.columns(Cells.CLOCK);
        assertEquals(List.of("backup", "*/5 * * * *", "<none>", "False", 1L, "90s", "<unknown>", "", "", "<none>"),
                columns.stream().map(c -> c.cell().apply(cj)).toList());
    }
}
