package dev.timon.kubelet.status;

import dev.timon.kubelet.api.ApiRequests;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends a pod's status to pods/{name}/status, only when it differs from what was last sent or is stored. */
public final class StatusWriter {
    private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);

    private final ApiRequests api;
    private final Map<String, PodStatus> lastSent = new ConcurrentHashMap<>();

    public StatusWriter(ApiRequests api) {
        this.api = api;
    }

    /** Yields whether a request was sent. */
    public boolean write(Pod pod, PodStatus status) {
        String uid = pod.getMetadata().getUid();
        var previous = lastSent.get(uid);
        if (status.equals(previous) || (previous == null && status.equals(pod.getStatus()))) {
            return false;
        }
        api.patchStatus(ApiRequests.podPath(pod.getMetadata().getNamespace(), pod.getMetadata().getName()), status);
        lastSent.put(uid, status);
        LOG.debug("status of {}/{}: phase {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), status.getPhase());
        return true;
    }

    /** The status last sent for the pod, or null. */
    public PodStatus lastSent(String uid) {
        return lastSent.get(uid);
    }

    public void forget(String uid) {
        lastSent.remove(uid);
    }
}
