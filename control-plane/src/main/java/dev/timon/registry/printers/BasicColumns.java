package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.time.Clock;
import java.util.List;

/** Name and Age: the columns of resources that have no printer of their own yet. */
public final class BasicColumns {

    private BasicColumns() {
    }

    public static <T extends HasMetadata> List<TableColumn<T>> columns() {
        return List.of(CommonColumns.name(), CommonColumns.age(Clock.systemUTC()));
    }
}
