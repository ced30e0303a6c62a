package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;

import java.time.Clock;
import java.util.List;

/** apps/v1 statefulsets: Name, Ready, Age, then Containers, Images (wide). */
public final class StatefulSetColumns {

    private StatefulSetColumns() {
    }

    public static List<TableColumn<StatefulSet>> columns() {
        return columns(Clock.systemUTC());
    }

    public static List<TableColumn<StatefulSet>> columns(Clock clock) {
        return List.of(
                CommonColumns.name(),
                TableColumn.of("Ready", "string", "Ready pods out of the desired number.",
                        s -> readyReplicas(s) + "/" + CommonColumns.count(spec(s).getReplicas())),
                CommonColumns.age(clock),
                TemplateColumns.containers(s -> spec(s).getTemplate()),
                TemplateColumns.images(s -> spec(s).getTemplate()));
    }

    private static long readyReplicas(StatefulSet s) {
        return s.getStatus() == null ? 0 : CommonColumns.count(s.getStatus().getReadyReplicas());
    }

    private static StatefulSetSpec spec(StatefulSet s) {
        return s.getSpec() == null ? new StatefulSetSpec() : s.getSpec();
    }
}
