package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.events.v1.Event;

import java.time.Clock;
import java.util.List;

/** events.k8s.io/v1 events, printed with the core/v1 event columns from their renamed fields. */
public final class EventsV1EventColumns {

    private EventsV1EventColumns() {
    }

    public static List<TableColumn<Event>> columns() {
        return columns(Clock.systemUTC());
    }

    public static List<TableColumn<Event>> columns(Clock clock) {
        return EventRow.columns(clock, EventsV1EventColumns::row);
    }

    private static EventRow.Series series(Event e) {
        return e.getSeries() == null ? null
                : new EventRow.Series(e.getSeries().getLastObservedTime(), e.getSeries().getCount());
    }

    private static EventRow row(Event e) {
        return new EventRow(CommonColumns.meta(e).getName(), e.getType(), e.getReason(), e.getRegarding(),
                e.getNote(), e.getDeprecatedFirstTimestamp(), e.getDeprecatedLastTimestamp(), e.getEventTime(),
                e.getDeprecatedCount(), series(e), e.getDeprecatedSource(), e.getReportingController(),
                e.getReportingInstance());
    }
}
