package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Columns and small helpers every resource's printer shares. */
final class CommonColumns {

    static final String NONE = "<none>";
    static final String UNKNOWN = "<unknown>";

    private CommonColumns() {
    }

    static <T extends HasMetadata> TableColumn<T> name() {
        return new TableColumn<>("Name", "string", "name", "Unique name of the object within its namespace.", 0,
                o -> meta(o).getName());
    }

    static <T extends HasMetadata> TableColumn<T> age(Clock clock) {
        return TableColumn.of("Age", "string", "Time since the object was created.",
                o -> Ages.age(meta(o).getCreationTimestamp(), clock.instant()));
    }

    static ObjectMeta meta(HasMetadata o) {
        return o.getMetadata() == null ? new ObjectMeta() : o.getMetadata();
    }

    /** Go prints a missing string as empty; fabric8 hands us null. */
    static String text(String s) {
        return s == null ? "" : s;
    }

    static String orNone(String s) {
        return s == null || s.isEmpty() ? NONE : s;
    }

    static long count(Integer n) {
        return n == null ? 0 : n;
    }

    static long size(Collection<?> c) {
        return c == null ? 0 : c.size();
    }

    static long size(Map<?, ?> m) {
        return m == null ? 0 : m.size();
    }

    /** The first three items, then " + N more..." for the rest, as upstream abbreviates address lists. */
    static String abbreviated(List<String> items) {
        int shown = 3;
        if (items.size() <= shown) {
            return String.join(",", items);
        }
        return String.join(",", items.subList(0, shown)) + " + " + (items.size() - shown) + " more...";
    }

    static <E> List<E> list(List<E> l) {
        return l == null ? List.of() : l;
    }
}
