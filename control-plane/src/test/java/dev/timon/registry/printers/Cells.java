package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Test helpers: a fixed "now" and cell lookup by column name. */
final class Cells {

    static final Instant NOW = Instant.parse("2025-01-15T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private Cells() {
    }

    /** RFC 3339 timestamp {@code seconds} before NOW. */
    static String ago(long seconds) {
        return NOW.minusSeconds(seconds).toString();
    }

    static <T> Object cell(List<TableColumn<T>> columns, String name, T object) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no column " + name))
                .cell().apply(object);
    }

    static <T> List<String> names(List<TableColumn<T>> columns) {
        return columns.stream().map(TableColumn::name).toList();
    }
}
