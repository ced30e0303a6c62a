package dev.timon.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.function.Consumer;

/**
 * How controllers write the status they computed, as upstream's do: PUT /status on a copy of the cached object and,
 * on a conflict, once more on a freshly read one. A controller's cache trails its own last write, so during a busy
 * rollout many writes from the cache conflict; each conflict counted as a failure of the key, doubling its back-off,
 * and a key whose last write failed could wait minutes for its retry with nothing else to wake it.
 * <p>
 * Only for a status computed wholly from other objects (a ReplicaSet's or DaemonSet's pod counts), as upstream uses
 * it there: a status that carries fields over from the cached one (a CronJob's lastScheduleTime, a StatefulSet's
 * currentRevision) would, written onto the freshly read object, set back what the newer write recorded. Those
 * controllers write plainly and retry a conflict from a fresh cache.
 */
public final class StatusWrites {

    private StatusWrites() {
    }

    /** Writes {@code cached} with {@code setStatus} applied (to a copy: the cache is shared), the stored object. */
    public static <T extends HasMetadata> T update(KubernetesClient client, T cached, Consumer<T> setStatus) {
        T copy = client.getKubernetesSerialization().clone(cached);
        setStatus.accept(copy);
        try {
            return client.resource(copy).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            T latest = client.resource(cached).get();
            if (latest == null) {
                throw e;
            }
            setStatus.accept(latest);
            return client.resource(latest).updateStatus();
        }
    }
}
