package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;

import java.time.Clock;
import java.util.List;

/** coordination.k8s.io/v1 leases: Name, Holder, Age. */
public final class LeaseColumns {

    private LeaseColumns() {
    }

    public static List<TableColumn<Lease>> columns() {
        return columns(Clock.systemUTC());
    }

    public static List<TableColumn<Lease>> columns(Clock clock) {
        return List.of(
                CommonColumns.name(),
                TableColumn.of("Holder", "string", "Identity currently holding the lease.",
                        l -> l.getSpec() == null ? "" : CommonColumns.text(l.getSpec().getHolderIdentity())),
                CommonColumns.age(clock));
    }
}
