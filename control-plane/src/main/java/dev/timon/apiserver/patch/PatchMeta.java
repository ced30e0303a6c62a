package dev.timon.apiserver.patch;

import io.fabric8.kubernetes.api.model.ComponentStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.ReplicationControllerStatus;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;

import java.util.HashMap;
import java.util.Map;

/**
 * Strategic-merge metadata of the built-in types: which fields are merged (and by which key) instead of replaced.
 * Mirrors the {@code patchStrategy}/{@code patchMergeKey} struct tags of k8s.io/api; a field not listed here is
 * replaced as a whole when it is a list (upstream's atomic default) and merged key by key when it is a map.
 */
public final class PatchMeta {

    /**
     * How one field is patched.
     *
     * @param merge      list elements are merged instead of the list being replaced
     * @param mergeKey   the element field identifying list entries; empty for lists of primitives
     * @param retainKeys the field's value may carry {@code $retainKeys} (upstream's "retainKeys" strategy)
     */
    public record Strategy(boolean merge, String mergeKey, boolean retainKeys) {
        public static final Strategy NONE = new Strategy(false, "", false);

        static Strategy mergeBy(String mergeKey) {
            return new Strategy(true, mergeKey, false);
        }

        static Strategy mergeRetainingKeysBy(String mergeKey) {
            return new Strategy(true, mergeKey, true);
        }

        static Strategy retainingKeys() {
            return new Strategy(false, "", true);
        }
    }

    private static final Map<Class<?>, Map<String, Strategy>> TABLE = new HashMap<>();

    static {
        field(ObjectMeta.class, "finalizers", Strategy.mergeBy(""));
        field(ObjectMeta.class, "ownerReferences", Strategy.mergeBy("uid"));

        field(PodSpec.class, "volumes", Strategy.mergeRetainingKeysBy("name"));
        field(PodSpec.class, "initContainers", Strategy.mergeBy("name"));
        field(PodSpec.class, "containers", Strategy.mergeBy("name"));
        field(PodSpec.class, "ephemeralContainers", Strategy.mergeBy("name"));
        field(PodSpec.class, "imagePullSecrets", Strategy.mergeBy("name"));
        field(PodSpec.class, "hostAliases", Strategy.mergeBy("ip"));
        field(PodSpec.class, "topologySpreadConstraints", Strategy.mergeBy("topologyKey"));
        field(PodSpec.class, "schedulingGates", Strategy.mergeBy("name"));
        field(PodSpec.class, "resourceClaims", Strategy.mergeRetainingKeysBy("name"));
        for (Class<?> container : new Class<?>[] {Container.class, EphemeralContainer.class}) {
            field(container, "ports", Strategy.mergeBy("containerPort"));
            field(container, "env", Strategy.mergeBy("name"));
            field(container, "volumeMounts", Strategy.mergeBy("mountPath"));
            field(container, "volumeDevices", Strategy.mergeBy("devicePath"));
            // resizePolicy is "+listType=atomic" upstream, so it is deliberately absent (replaced).
        }
        field(PodStatus.class, "podIPs", Strategy.mergeBy("ip"));
        field(PodStatus.class, "hostIPs", Strategy.mergeBy("ip"));
        field(PodStatus.class, "resourceClaimStatuses", Strategy.mergeRetainingKeysBy("name"));

        field(NodeSpec.class, "podCIDRs", Strategy.mergeBy(""));
        field(NodeStatus.class, "addresses", Strategy.mergeBy("type"));
        field(ServiceSpec.class, "ports", Strategy.mergeBy("port"));
        field(ServiceAccount.class, "secrets", Strategy.mergeBy("name"));

        field(DeploymentSpec.class, "strategy", Strategy.retainingKeys());

        for (Class<?> status : new Class<?>[] {PodStatus.class, NodeStatus.class, ServiceStatus.class,
                NamespaceStatus.class, PersistentVolumeClaimStatus.class, ReplicationControllerStatus.class,
                ComponentStatus.class, DeploymentStatus.class, ReplicaSetStatus.class, StatefulSetStatus.class,
                DaemonSetStatus.class, JobStatus.class, PodDisruptionBudgetStatus.class,
                HorizontalPodAutoscalerStatus.class}) {
            field(status, "conditions", Strategy.mergeBy("type"));
        }
    }

    private PatchMeta() {
    }

    private static void field(Class<?> type, String jsonField, Strategy strategy) {
        TABLE.computeIfAbsent(type, t -> new HashMap<>()).put(jsonField, strategy);
    }

    /** The strategy of {@code jsonField} of the model class {@code type}; {@link Strategy#NONE} when untagged. */
    public static Strategy of(Class<?> type, String jsonField) {
        return TABLE.getOrDefault(type, Map.of()).getOrDefault(jsonField, Strategy.NONE);
    }
}
