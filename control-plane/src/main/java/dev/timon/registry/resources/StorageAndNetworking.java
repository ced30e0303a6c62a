package dev.timon.registry.resources;

import dev.timon.registry.ResourceDefinition;
import dev.timon.registry.ScalePolicy;
import dev.timon.registry.Subresource;
import dev.timon.registry.printers.BasicColumns;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

import java.util.Objects;

/**
 * Resources served for clients that expect them (kubectl's default prune list, `kubectl get all`) but that no
 * Timon controller acts on yet: volumes and claims are stored, not provisioned; Ingresses are not routed.
 */
public final class StorageAndNetworking {

    private StorageAndNetworking() {
    }

    public static ResourceDefinition<PersistentVolumeClaim> persistentVolumeClaims() {
        return ResourceDefinition.of(PersistentVolumeClaim.class, "", "v1", "PersistentVolumeClaim", "persistentvolumeclaims")
                .shortNames("pvc")
                .columns(BasicColumns.columns())
                .subresources(Subresource.STATUS)
                .build();
    }

    public static ResourceDefinition<PersistentVolume> persistentVolumes() {
        return ResourceDefinition.of(PersistentVolume.class, "", "v1", "PersistentVolume", "persistentvolumes")
                .clusterScoped()
                .shortNames("pv")
                .columns(BasicColumns.columns())
                .subresources(Subresource.STATUS)
                .build();
    }

    /** Stored and scalable; no controller manages its pods (ReplicaSets replaced it upstream long ago). */
    public static ResourceDefinition<ReplicationController> replicationControllers() {
        return ResourceDefinition.of(ReplicationController.class, "", "v1", "ReplicationController", "replicationcontrollers")
                .shortNames("rc")
                .inCategoryAll()
                .columns(BasicColumns.columns())
                .subresources(Subresource.STATUS)
                .scale(new ScalePolicy<>(r -> r.getSpec().getReplicas(), (r, n) -> r.getSpec().setReplicas(n),
                        r -> r.getStatus() == null ? 0 : Objects.requireNonNullElse(r.getStatus().getReplicas(), 0),
                        r -> r.getSpec().getSelector() == null ? "" : Workloads.mapSelectorString(r.getSpec().getSelector())))
                .build();
    }

    public static ResourceDefinition<Ingress> ingresses() {
        return ResourceDefinition.of(Ingress.class, "networking.k8s.io", "v1", "Ingress", "ingresses")
                .shortNames("ing")
                .columns(BasicColumns.columns())
                .subresources(Subresource.STATUS)
                .build();
    }
}
