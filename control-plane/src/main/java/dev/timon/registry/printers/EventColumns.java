package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.Event;

import java.time.Clock;
import java.util.List;

/** core/v1 events: Last Seen, Type, Reason, Object, Message; Subobject, Source, First Seen, Count, Name wide. */
public final class EventColumns {

    private EventColumns() {
    }

    public static List<TableColumn<Event>> columns() {
        return columns(Clock.systemUTC());
    }

    public static List<TableColumn<Event>> columns(Clock clock) {
        return EventRow.columns(clock, EventColumns::row);
    }

    private static EventRow.Series series(Event e) {
        return e.getSeries() == null ? null
                : new EventRow.Series(e.getSeries().getLastObservedTime(), e.getSeries().getCount());
    }

    private static EventRow row(Event e) {
        return new EventRow(CommonColumns.meta(e).getName(), e.getType(), e.getReason(), e.getInvolvedObject(),
                e.getMessage(), e.getFirstTimestamp(), e.getLastTimestamp(), e.getEventTime(), e.getCount(),
                series(e),
                e.getSource(), e.getReportingComponent(), e.getReportingInstance());
    }
}
