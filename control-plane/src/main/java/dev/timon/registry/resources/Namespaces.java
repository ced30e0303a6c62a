package dev.timon.registry.resources;

import dev.timon.registry.printers.NamespaceColumns;
import dev.timon.apimachinery.Names;
import dev.timon.registry.ResourceDefinition;
import dev.timon.registry.ResourceStrategy;
import dev.timon.registry.Subresource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceSpec;
import io.fabric8.kubernetes.api.model.NamespaceStatus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** core/v1 namespaces: the "kubernetes" finalizer holds a deleted namespace until its contents are gone. */
public final class Namespaces {

    public static final String FINALIZER = "kubernetes";
    public static final String NAME_LABEL = "kubernetes.io/metadata.name";

    private Namespaces() {
    }

    public static ResourceDefinition<Namespace> definition() {
        return ResourceDefinition.of(Namespace.class, "", "v1", "Namespace", "namespaces")
                .clusterScoped()
                .shortNames("ns")
                .columns(NamespaceColumns.columns())
                .nameRule(Names.Rule.DNS1123_LABEL)
                .strategy(new Strategy())
                .subresources(Subresource.STATUS, Subresource.FINALIZE)
                .build();
    }

    static final class Strategy implements ResourceStrategy<Namespace> {

        @Override
        public void prepareForCreate(Namespace namespace) {
            namespace.setStatus(new NamespaceStatus(List.of(), "Active"));
            if (namespace.getSpec() == null || namespace.getSpec().getFinalizers() == null
                    || namespace.getSpec().getFinalizers().isEmpty()) {
                namespace.setSpec(new NamespaceSpec(List.of(FINALIZER)));
            }
        }

        @Override
        public void applyDefaults(Namespace namespace) {
            Map<String, String> labels = namespace.getMetadata().getLabels() == null
                    ? new HashMap<>() : new HashMap<>(namespace.getMetadata().getLabels());
            labels.put(NAME_LABEL, namespace.getMetadata().getName());
            namespace.getMetadata().setLabels(labels);
        }

        @Override
        public boolean deletionHeld(Namespace namespace) {
            return namespace.getSpec() != null && namespace.getSpec().getFinalizers() != null
                    && !namespace.getSpec().getFinalizers().isEmpty();
        }

        @Override
        public void prepareForDeletion(Namespace namespace) {
            if (namespace.getStatus() == null) {
                namespace.setStatus(new NamespaceStatus());
            }
            namespace.getStatus().setPhase("Terminating");
        }

        @Override
        public Map<String, String> selectableFields(Namespace namespace) {
            return Map.of("status.phase", namespace.getStatus() == null || namespace.getStatus().getPhase() == null
                    ? "" : namespace.getStatus().getPhase());
        }

        @Override
        public List<String> selectableFieldNames() {
            return List.of("status.phase");
        }
    }
}
