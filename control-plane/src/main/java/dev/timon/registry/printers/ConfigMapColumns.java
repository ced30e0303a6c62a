package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.ConfigMap;

import java.time.Clock;
import java.util.List;

/** core/v1 configmaps: Name, Data, Age. */
public final class ConfigMapColumns {

    private ConfigMapColumns() {
    }

    public static List<TableColumn<ConfigMap>> columns() {
        return columns(Clock.systemUTC());
    }

    public static List<TableColumn<ConfigMap>> columns(Clock clock) {
        return List.of(
                CommonColumns.name(),
                TableColumn.of("Data", "string", "Number of keys, text and binary together.",
                        c -> CommonColumns.size(c.getData()) + CommonColumns.size(c.getBinaryData())),
                CommonColumns.age(clock));
    }
}
