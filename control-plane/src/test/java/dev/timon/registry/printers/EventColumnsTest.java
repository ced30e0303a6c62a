package dev.timon.registry.printers;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.EventSeriesBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.timon.registry.printers.Cells.ago;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EventColumnsTest {

    @Test
    void coreEventInUpstreamColumnOrder() {
        Event e = new EventBuilder().withNewMetadata().withName("web.17a").endMetadata()
                .withType("Warning").withReason("BackOff").withMessage(" Back-off restarting failed container \n")
                .withNewInvolvedObject().withKind("Pod").withName("web").withFieldPath("spec.containers{app}")
                .endInvolvedObject()
                .withNewSource().withComponent("kubelet").withHost("node1").endSource()
                .withFirstTimestamp(ago(3 * 86400)).withLastTimestamp(ago(2 * 86400)).withCount(6)
                .build();
        var columns = EventColumns.columns(Cells.CLOCK);
        assertEquals(List.of("Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen",
                "Count", "Name"), Cells.names(columns));
        assertEquals(List.of("2d", "Warning", "BackOff", "pod/web", "spec.containers{app}", "kubelet, node1",
                        "Back-off restarting failed container", "3d", 6L, "web.17a"),
                columns.stream().map(c -> c.cell().apply(e)).toList());
    }

    /** An event as the events.k8s.io/v1 API writes it (stored as core/v1): eventTime and reporting fields only. */
    @Test
    void singletonUsesEventTimeAndCountsOnce() {
        Event e = new EventBuilder()
                .withNewMetadata().withName("lease.1").endMetadata()
                .withType("Normal").withReason("LeaderElection").withMessage("became leader")
                .withNewInvolvedObject().withKind("Lease").withName("kube-scheduler").endInvolvedObject()
                .withReportingComponent("scheduler").withReportingInstance("sched-1")
                .withEventTime(new MicroTime(ago(45)))
                .build();
        assertEquals(List.of("45s", "Normal", "LeaderElection", "lease/kube-scheduler", "", "scheduler, sched-1",
                        "became leader", "45s", 1L, "lease.1"),
                EventColumns.columns(Cells.CLOCK).stream().map(c -> c.cell().apply(e)).toList());
    }

    @Test
    void eventSeriesDecidesLastSeenAndCount() {
        Event e = new EventBuilder()
                .withNewMetadata().withName("x").endMetadata()
                .withEventTime(new MicroTime(ago(600)))
                .withSeries(new EventSeriesBuilder().withCount(4).withLastObservedTime(new MicroTime(ago(30))).build())
                .build();
        var columns = EventColumns.columns(Cells.CLOCK);
        assertEquals("30s", Cells.cell(columns, "Last Seen", e));
        assertEquals("10m", Cells.cell(columns, "First Seen", e));
        assertEquals(4L, Cells.cell(columns, "Count", e));
    }
}
