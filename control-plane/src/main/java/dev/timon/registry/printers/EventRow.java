package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReference;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The fields an event row is printed from, named as events.k8s.io/v1 names them. events.k8s.io/v1 events print
 * through their conversion to the stored core/v1 form, as kube-apiserver prints both from one internal Event.
 */
record EventRow(String name, String type, String reason, ObjectReference regarding, String message,
                String firstTimestamp, String lastTimestamp, MicroTime eventTime, Integer count,
                Series series, EventSource source, String reportingController, String reportingInstance) {

    /** An event's series, when it has one: then it alone says how often and when last the event happened. */
    record Series(MicroTime lastObserved, Integer count) {
    }

    /** Last Seen, Type, Reason, Object, Message, then Subobject, Source, First Seen, Count, Name wide; in upstream order. */
    static <T> List<TableColumn<T>> columns(Clock clock, Function<T, EventRow> view) {
        return List.of(
                TableColumn.of("Last Seen", "string", "Time since the event was last observed.",
                        e -> view.apply(e).lastSeen(clock)),
                TableColumn.of("Type", "string", "Normal or Warning.", e -> CommonColumns.text(view.apply(e).type())),
                TableColumn.of("Reason", "string", "Short machine-readable cause of the event.",
                        e -> CommonColumns.text(view.apply(e).reason())),
                TableColumn.of("Object", "string", "Object the event is about, as kind/name.",
                        e -> view.apply(e).object()),
                TableColumn.wide("Subobject", "string", "Part of the object the event is about, e.g. a container.",
                        e -> CommonColumns.text(view.apply(e).regarding().getFieldPath())),
                TableColumn.wide("Source", "string", "Component, and host, that reported the event.",
                        e -> view.apply(e).sourceText()),
                TableColumn.of("Message", "string", "Human-readable description of the event.",
                        e -> CommonColumns.text(view.apply(e).message()).strip()),
                TableColumn.wide("First Seen", "string", "Time since the event was first observed.",
                        e -> view.apply(e).firstSeen(clock)),
                TableColumn.wide("Count", "string", "Times the event has been observed.",
                        e -> view.apply(e).occurrences()),
                new TableColumn<>("Name", "string", "name", "Unique name of the event within its namespace.", 1,
                        e -> CommonColumns.text(view.apply(e).name())));
    }

    EventRow {
        regarding = regarding == null ? new ObjectReference() : regarding;
        source = source == null ? new EventSource() : source;
    }

    // Events written through the newer API carry only eventTime.
    String firstSeen(Clock clock) {
        if (Ages.parse(firstTimestamp) != null) {
            return Ages.age(firstTimestamp, clock.instant());
        }
        return Ages.age(eventTime == null ? null : eventTime.getTime(), clock.instant());
    }

    String lastSeen(Clock clock) {
        if (series != null) {
            return Ages.age(series.lastObserved() == null ? null : series.lastObserved().getTime(), clock.instant());
        }
        return Ages.parse(lastTimestamp) != null ? Ages.age(lastTimestamp, clock.instant()) : firstSeen(clock);
    }

    long occurrences() {
        if (series != null) {
            return CommonColumns.count(series.count());
        }
        // Singleton events from the newer API have no count; they happened once.
        long n = CommonColumns.count(count);
        return n == 0 ? 1 : n;
    }

    String object() {
        String kind = CommonColumns.text(regarding.getKind()).toLowerCase(Locale.ROOT);
        String target = CommonColumns.text(regarding.getName());
        return target.isEmpty() ? kind : kind + "/" + target;
    }

    String sourceText() {
        String component = firstNonEmpty(source.getComponent(), reportingController);
        String host = firstNonEmpty(source.getHost(), reportingInstance);
        return host.isEmpty() ? component : component + ", " + host;
    }

    private static String firstNonEmpty(String preferred, String fallback) {
        return preferred != null && !preferred.isEmpty() ? preferred : CommonColumns.text(fallback);
    }
}
