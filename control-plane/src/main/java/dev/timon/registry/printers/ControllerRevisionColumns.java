package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;

import java.time.Clock;
import java.util.List;
import java.util.Locale;

/** apps/v1 controllerrevisions: Name, Controller (as "daemonset.apps/web"), Revision, Age. */
public final class ControllerRevisionColumns {

    private ControllerRevisionColumns() {
    }

    public static List<TableColumn<ControllerRevision>> columns() {
        return columns(Clock.systemUTC());
    }

    public static List<TableColumn<ControllerRevision>> columns(Clock clock) {
        return List.of(
                CommonColumns.name(),
                TableColumn.of("Controller", "string", "Controller of the object", ControllerRevisionColumns::controller),
                TableColumn.of("Revision", "string", "Revision indicates the revision of the state represented by Data.",
                        r -> r.getRevision() == null ? 0L : r.getRevision()),
                CommonColumns.age(clock));
    }

    /** Upstream prints the controller as lower-cased "kind.group/name" ("kind/name" in the core group). */
    private static String controller(ControllerRevision revision) {
        List<OwnerReference> refs = CommonColumns.meta(revision).getOwnerReferences();
        OwnerReference ref = refs == null ? null
                : refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst().orElse(null);
        if (ref == null) {
            return CommonColumns.NONE;
        }
        String apiVersion = CommonColumns.text(ref.getApiVersion());
        int slash = apiVersion.indexOf('/');
        String groupKind = slash < 0 ? ref.getKind() : ref.getKind() + "." + apiVersion.substring(0, slash);
        return groupKind.toLowerCase(Locale.ROOT) + "/" + ref.getName();
    }
}
