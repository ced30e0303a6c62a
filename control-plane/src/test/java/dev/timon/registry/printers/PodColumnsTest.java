package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.timon.registry.printers.Cells.ago;
import static dev.timon.registry.printers.Cells.cell;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PodColumnsTest {

    private final List<TableColumn<Pod>> columns = PodColumns.columns(Cells.CLOCK);

    @Test
    void columnsInUpstreamOrderWithWideOnesLast() {
        assertEquals(List.of("Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node",
                "Readiness Gates"), Cells.names(columns));
        assertEquals("name", columns.get(0).format());
        assertEquals(List.of(0, 0, 0, 0, 0, 1, 1, 1, 1), columns.stream().map(TableColumn::priority).toList());
    }

    @Test
    void runningPodIsReadyWithNoRestarts() {
        Pod pod = pod("Running", running("app", true, 0));
        assertEquals(List.of("web", "1/1", "Running", "0", "5m", "10.1.0.5", "node1", "<none>", "<none>"),
                columns.stream().map(c -> c.cell().apply(pod)).toList());
    }

    @Test
    void crashLoopingContainerShowsReasonAndWhenItLastRestarted() {
        ContainerStatus crashing = new ContainerStatusBuilder().withName("app").withReady(false).withRestartCount(3)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error")
                .withFinishedAt(ago(120)).endTerminated().endLastState()
                .build();
        Pod pod = pod("Running", crashing);
        assertEquals("0/1", cell(columns, "Ready", pod));
        assertEquals("CrashLoopBackOff", cell(columns, "Status", pod));
        assertEquals("3 (2m ago)", cell(columns, "Restarts", pod));
    }

    @Test
    void waitingInitContainerShowsInitProgress() {
        ContainerStatus app = new ContainerStatusBuilder().withName("app").withNewState().withNewWaiting()
                .withReason("PodInitializing").endWaiting().endState().build();
        Pod pod = new PodBuilder(pod("Pending", app))
                .editSpec().addNewInitContainer().withName("setup").endInitContainer()
                .addNewInitContainer().withName("migrate").endInitContainer().endSpec()
                .editStatus().addToInitContainerStatuses(terminated("setup", 0, "Completed"),
                        new ContainerStatusBuilder().withName("migrate").withNewState().withNewRunning().endRunning()
                                .endState().build())
                .endStatus().build();
        assertEquals("Init:1/2", cell(columns, "Status", pod));
        assertEquals("0/1", cell(columns, "Ready", pod));
    }

    @Test
    void failedInitContainerShowsItsReason() {
        Pod pod = new PodBuilder(pod("Pending"))
                .editSpec().addNewInitContainer().withName("setup").endInitContainer().endSpec()
                .editStatus().addToInitContainerStatuses(terminated("setup", 1, "Error")).endStatus().build();
        assertEquals("Init:Error", cell(columns, "Status", pod));
    }

    @Test
    void initContainerInBackOffShowsWaitingReason() {
        Pod pod = new PodBuilder(pod("Pending"))
                .editSpec().addNewInitContainer().withName("setup").endInitContainer().endSpec()
                .editStatus().addToInitContainerStatuses(new ContainerStatusBuilder().withName("setup")
                        .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                        .build()).endStatus().build();
        assertEquals("Init:CrashLoopBackOff", cell(columns, "Status", pod));
    }

    @Test
    void deletedPodIsTerminating() {
        Pod pod = new PodBuilder(pod("Running", running("app", true, 0)))
                .editMetadata().withDeletionTimestamp(ago(10)).endMetadata().build();
        assertEquals("Terminating", cell(columns, "Status", pod));
    }

    @Test
    void deletedPodOnLostNodeIsUnknown() {
        Pod pod = new PodBuilder(pod("Running", running("app", true, 0)))
                .editMetadata().withDeletionTimestamp(ago(10)).endMetadata()
                .editStatus().withReason("NodeLost").endStatus().build();
        assertEquals("Unknown", cell(columns, "Status", pod));
    }

    @Test
    void deletedPodThatAlreadySucceededKeepsItsReason() {
        Pod pod = new PodBuilder(pod("Succeeded", terminated("app", 0, "Completed")))
                .editMetadata().withDeletionTimestamp(ago(10)).endMetadata().build();
        assertEquals("Completed", cell(columns, "Status", pod));
    }

    @Test
    void completedPod() {
        Pod pod = pod("Succeeded", terminated("app", 0, "Completed"));
        assertEquals("0/1", cell(columns, "Ready", pod));
        assertEquals("Completed", cell(columns, "Status", pod));
    }

    @Test
    void terminatedWithoutReasonShowsSignalOrExitCode() {
        ContainerStatus killed = new ContainerStatusBuilder().withName("app").withNewState().withNewTerminated()
                .withExitCode(137).withSignal(9).endTerminated().endState().build();
        assertEquals("Signal:9", cell(columns, "Status", pod("Failed", killed)));
        assertEquals("ExitCode:1", cell(columns, "Status", pod("Failed", terminated("app", 1, null))));
    }

    @Test
    void completedSidecarButRunningMainIsNotReadyWithoutReadyCondition() {
        Pod pod = pod("Running", terminated("helper", 0, "Completed"), running("app", true, 0));
        // statuses are read last to first, so the first container's "Completed" is the reason left standing
        assertEquals("NotReady", cell(columns, "Status", pod));
        Pod ready = new PodBuilder(pod).editStatus().addNewCondition().withType("Ready").withStatus("True")
                .endCondition().endStatus().build();
        assertEquals("Running", cell(columns, "Status", ready));
    }

    @Test
    void restartableInitContainerCountsAsAContainer() {
        Pod pod = new PodBuilder(pod("Running", running("app", true, 0)))
                .editSpec().addNewInitContainer().withName("proxy").withRestartPolicy("Always").endInitContainer()
                .endSpec()
                .editStatus().addToInitContainerStatuses(new ContainerStatusBuilder(running("proxy", true, 2))
                        .withStarted(true).build()).endStatus().build();
        assertEquals("2/2", cell(columns, "Ready", pod));
        assertEquals("Running", cell(columns, "Status", pod));
        assertEquals("2", cell(columns, "Restarts", pod));
    }

    @Test
    void schedulingGatedPod() {
        Pod pod = new PodBuilder(pod("Pending")).editStatus().addNewCondition().withType("PodScheduled")
                .withStatus("False").withReason("SchedulingGated").endCondition().endStatus().build();
        assertEquals("SchedulingGated", cell(columns, "Status", pod));
    }

    @Test
    void readinessGatesCountTheMetOnes() {
        Pod pod = new PodBuilder(pod("Running", running("app", true, 0)))
                .editSpec().addNewReadinessGate().withConditionType("example.com/lb").endReadinessGate()
                .addNewReadinessGate().withConditionType("example.com/dns").endReadinessGate().endSpec()
                .editStatus().addNewCondition().withType("example.com/lb").withStatus("True").endCondition()
                .endStatus().build();
        assertEquals("1/2", cell(columns, "Readiness Gates", pod));
    }

    @Test
    void unscheduledPodHasNoneInWideCells() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec().endSpec()
                .withNewStatus().withPhase("Pending").endStatus().build();
        assertEquals("<none>", cell(columns, "IP", pod));
        assertEquals("<none>", cell(columns, "Node", pod));
        assertEquals("<unknown>", cell(columns, "Age", pod));
    }

    private static Pod pod(String phase, ContainerStatus... statuses) {
        PodBuilder builder = new PodBuilder()
                .withNewMetadata().withName("web").withNamespace("default").withCreationTimestamp(ago(300))
                .endMetadata()
                .withNewSpec().withNodeName("node1").endSpec()
                .withNewStatus().withPhase(phase).withPodIP("10.1.0.5").endStatus();
        for (ContainerStatus s : statuses) {
            builder.editSpec().addNewContainer().withName(s.getName()).withImage("nginx").endContainer().endSpec();
            builder.editStatus().addToContainerStatuses(s).endStatus();
        }
        return builder.build();
    }

    private static ContainerStatus running(String name, boolean ready, int restarts) {
        return new ContainerStatusBuilder().withName(name).withReady(ready).withRestartCount(restarts)
                .withNewState().withNewRunning().withStartedAt(ago(200)).endRunning().endState().build();
    }

    private static ContainerStatus terminated(String name, int exitCode, String reason) {
        return new ContainerStatusBuilder().withName(name).withReady(false).withRestartCount(0)
                .withNewState().withNewTerminated().withExitCode(exitCode).withReason(reason).endTerminated()
                .endState().build();
    }
}
