package dev.timon.controllers;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.List;

/** The namespaced resource types the garbage collector tracks and namespace deletion empties. */
public final class NamespacedKinds {

    private NamespacedKinds() {
    }

    /** Types that own or are owned by others: the garbage collector informs on these. */
    public static final List<Class<? extends HasMetadata>> OWNED = List.of(Pod.class, ReplicaSet.class,
            Deployment.class, StatefulSet.class, DaemonSet.class, Job.class, CronJob.class, ConfigMap.class,
            Secret.class, Service.class, Endpoints.class, EndpointSlice.class, ControllerRevision.class);

    /** Everything a namespace holds that its deletion removes (core/v1 Events included). */
    public static final List<Class<? extends HasMetadata>> ALL = java.util.stream.Stream.concat(OWNED.stream(),
            java.util.stream.Stream.of(ServiceAccount.class, Lease.class, io.fabric8.kubernetes.api.model.Event.class)).toList();

    public static Class<? extends HasMetadata> byKind(String kind) {
        for (Class<? extends HasMetadata> type : OWNED) {
            if (type.getSimpleName().equals(kind)) {
                return type;
            }
        }
        return null;
    }
}
