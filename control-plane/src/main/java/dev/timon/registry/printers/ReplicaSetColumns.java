package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;

import java.time.Clock;
import java.util.List;

/** apps/v1 replicasets: Name, Desired, Current, Ready, Age, then Containers, Images, Selector (wide). */
public final class ReplicaSetColumns {

    private ReplicaSetColumns() {
    }

    public static List<TableColumn<ReplicaSet>> columns() {
        return columns(Clock.systemUTC());
    }

    public static List<TableColumn<ReplicaSet>> columns(Clock clock) {
        return List.of(
                CommonColumns.name(),
                TableColumn.of("Desired", "integer", "Number of pods wanted.",
                        r -> CommonColumns.count(spec(r).getReplicas())),
                TableColumn.of("Current", "integer", "Number of pods that exist.",
                        r -> CommonColumns.count(status(r).getReplicas())),
                TableColumn.of("Ready", "integer", "Number of pods that are ready.",
                        r -> CommonColumns.count(status(r).getReadyReplicas())),
                CommonColumns.age(clock),
                TemplateColumns.containers(r -> spec(r).getTemplate()),
                TemplateColumns.images(r -> spec(r).getTemplate()),
                TemplateColumns.selector(r -> LabelSelectors.format(spec(r).getSelector())));
    }

    private static ReplicaSetSpec spec(ReplicaSet r) {
        return r.getSpec() == null ? new ReplicaSetSpec() : r.getSpec();
    }

    private static ReplicaSetStatus status(ReplicaSet r) {
        return r.getStatus() == null ? new ReplicaSetStatus() : r.getStatus();
    }
}
