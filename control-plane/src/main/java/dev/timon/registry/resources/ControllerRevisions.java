package dev.timon.registry.resources;

import dev.timon.apimachinery.FieldErrors;
import dev.timon.registry.ResourceDefinition;
import dev.timon.registry.ResourceStrategy;
import dev.timon.registry.printers.ControllerRevisionColumns;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;

import java.util.Objects;

/**
 * apps/v1 controllerrevisions: the history of DaemonSets and StatefulSets, one immutable snapshot of the
 * template (a strategic merge patch in {@code data}) per revision, read by `kubectl rollout history|undo`.
 */
public final class ControllerRevisions {

    private ControllerRevisions() {
    }

    public static ResourceDefinition<ControllerRevision> definition() {
        return ResourceDefinition.of(ControllerRevision.class, "apps", "v1", "ControllerRevision", "controllerrevisions")
                .columns(ControllerRevisionColumns.columns())
                .strategy(new ResourceStrategy<>() {
                    @Override
                    public void validate(ControllerRevision revision, FieldErrors errors) {
                        if (revision.getRevision() == null || revision.getRevision() < 0) {
                            errors.invalid("revision", revision.getRevision(), "must be greater than or equal to 0");
                        }
                    }

                    /** As upstream, a revision may be renumbered (a rollback reuses it) but its data never changes. */
                    @Override
                    public void validateUpdate(ControllerRevision revision, ControllerRevision old, FieldErrors errors) {
                        if (!Objects.equals(revision.getData(), old.getData())) {
                            errors.immutable("data", revision.getData());
                        }
                    }
                })
                .build();
    }
}
