package dev.timon.kubelet.pods;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Objects;

/**
 * Tells whether a new version of a pod asks the agent for work. Most updates of a starting pod are the agent's
 * own status writes coming back through the watch; syncing on each of them re-inspected the runtime for nothing
 * and, with 30 pods starting at once, competed for CPU and CRI with the pods actually being started.
 */
final class PodUpdates {
    private PodUpdates() {
    }

    /** True unless only the status or the bookkeeping metadata (resourceVersion, managedFields) changed. */
    static boolean needsSync(Pod old, Pod pod) {
        return old == null || !Objects.equals(old.getSpec(), pod.getSpec())
                || !Objects.equals(withoutBookkeeping(old.getMetadata()), withoutBookkeeping(pod.getMetadata()));
    }

    private static ObjectMeta withoutBookkeeping(ObjectMeta meta) {
        return meta == null ? null : new ObjectMetaBuilder(meta).withResourceVersion(null).withManagedFields().build();
    }
}
