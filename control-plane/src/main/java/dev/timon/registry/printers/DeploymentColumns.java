package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;

import java.time.Clock;
import java.util.List;

/** apps/v1 deployments: Name, Ready, Up-to-date, Available, Age, then Containers, Images, Selector (wide). */
public final class DeploymentColumns {

    private DeploymentColumns() {
    }

    public static List<TableColumn<Deployment>> columns() {
        return columns(Clock.systemUTC());
    }

    public static List<TableColumn<Deployment>> columns(Clock clock) {
        return List.of(
                CommonColumns.name(),
                TableColumn.of("Ready", "string", "Ready pods out of the desired number.",
                        d -> CommonColumns.count(status(d).getReadyReplicas()) + "/" + CommonColumns.count(spec(d).getReplicas())),
                TableColumn.of("Up-to-date", "string", "Pods running the current template.",
                        d -> CommonColumns.count(status(d).getUpdatedReplicas())),
                TableColumn.of("Available", "string", "Pods available to serve.",
                        d -> CommonColumns.count(status(d).getAvailableReplicas())),
                CommonColumns.age(clock),
                TemplateColumns.containers(d -> spec(d).getTemplate()),
                TemplateColumns.images(d -> spec(d).getTemplate()),
                // Upstream prints a deployment's selector bare: an empty one stays empty rather than "<none>".
                TemplateColumns.selector(d -> LabelSelectors.plain(spec(d).getSelector())));
    }

    private static DeploymentSpec spec(Deployment d) {
        return d.getSpec() == null ? new DeploymentSpec() : d.getSpec();
    }

    private static DeploymentStatus status(Deployment d) {
        return d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    }
}
