package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.Namespace;

import java.time.Clock;
import java.util.List;

/** core/v1 namespaces: Name, Status, Age. */
public final class NamespaceColumns {

    private NamespaceColumns() {
    }

    public static List<TableColumn<Namespace>> columns() {
        return columns(Clock.systemUTC());
    }

    public static List<TableColumn<Namespace>> columns(Clock clock) {
        return List.of(
                CommonColumns.name(),
                TableColumn.of("Status", "string", "Lifecycle phase of the namespace (Active or Terminating).",
                        n -> n.getStatus() == null ? "" : CommonColumns.text(n.getStatus().getPhase())),
                CommonColumns.age(clock));
    }
}
