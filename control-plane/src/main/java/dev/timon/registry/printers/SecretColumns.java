package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.Secret;

import java.time.Clock;
import java.util.List;

/** core/v1 secrets: Name, Type, Data, Age. */
public final class SecretColumns {

    private SecretColumns() {
    }

    public static List<TableColumn<Secret>> columns() {
        return columns(Clock.systemUTC());
    }

    public static List<TableColumn<Secret>> columns(Clock clock) {
        return List.of(
                CommonColumns.name(),
                TableColumn.of("Type", "string", "Kind of secret, which fixes the keys it must hold.",
                        s -> CommonColumns.text(s.getType())),
                // Upstream counts data only: stringData is folded into data when the secret is written.
                TableColumn.of("Data", "string", "Number of keys in the secret.",
                        s -> CommonColumns.size(s.getData())),
                CommonColumns.age(clock));
    }
}
