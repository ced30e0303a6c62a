package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;

import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * apps/v1 daemonsets: Name, Desired, Current, Ready, Up-to-date, Available, Node Selector, Age, then Containers,
 * Images, Selector (wide).
 */
public final class DaemonSetColumns {

    private DaemonSetColumns() {
    }

    public static List<TableColumn<DaemonSet>> columns() {
        return columns(Clock.systemUTC());
    }

    public static List<TableColumn<DaemonSet>> columns(Clock clock) {
        return List.of(
                CommonColumns.name(),
                count("Desired", "Nodes that should run the daemon pod.", DaemonSetStatus::getDesiredNumberScheduled),
                count("Current", "Nodes running the daemon pod.", DaemonSetStatus::getCurrentNumberScheduled),
                count("Ready", "Nodes whose daemon pod is ready.", DaemonSetStatus::getNumberReady),
                count("Up-to-date", "Nodes running the current template.", DaemonSetStatus::getUpdatedNumberScheduled),
                count("Available", "Nodes whose daemon pod is available.", DaemonSetStatus::getNumberAvailable),
                TableColumn.of("Node Selector", "string", "Labels a node needs to run the daemon pod.",
                        d -> LabelSelectors.formatLabels(TemplateColumns.spec(spec(d).getTemplate()).getNodeSelector())),
                CommonColumns.age(clock),
                TemplateColumns.containers(d -> spec(d).getTemplate()),
                TemplateColumns.images(d -> spec(d).getTemplate()),
                TemplateColumns.selector(d -> LabelSelectors.format(spec(d).getSelector())));
    }

    private static TableColumn<DaemonSet> count(String name, String description,
                                                Function<DaemonSetStatus, Integer> field) {
        return TableColumn.of(name, "integer", description,
                d -> CommonColumns.count(d.getStatus() == null ? null : field.apply(d.getStatus())));
    }

    private static DaemonSetSpec spec(DaemonSet d) {
        return d.getSpec() == null ? new DaemonSetSpec() : d.getSpec();
    }
}
