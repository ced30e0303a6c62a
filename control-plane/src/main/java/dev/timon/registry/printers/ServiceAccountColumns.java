package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.ServiceAccount;

import java.time.Clock;
import java.util.List;

/** core/v1 serviceaccounts: Name, Secrets, Age. */
public final class ServiceAccountColumns {

    private ServiceAccountColumns() {
    }

    public static List<TableColumn<ServiceAccount>> columns() {
        return columns(Clock.systemUTC());
    }

    public static List<TableColumn<ServiceAccount>> columns(Clock clock) {
        return List.of(
                CommonColumns.name(),
                TableColumn.of("Secrets", "string", "Number of secrets the service account references.",
                        sa -> CommonColumns.size(sa.getSecrets())),
                CommonColumns.age(clock));
    }
}
