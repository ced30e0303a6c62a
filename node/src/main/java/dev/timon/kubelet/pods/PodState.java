package dev.timon.kubelet.pods;

import dev.timon.kubelet.status.Waiting;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What the agent remembers about one pod between syncs; touched only by the pod's worker, except {@code pod}. */
public final class PodState {
    final String uid;
    /** The latest object from the API server; null once it is gone (deleted, or never seen: an orphan). */
    volatile Pod pod;
    /** Container name -> why it is not running, when the last attempt to start it failed or backs off. */
    final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    String startTime;

    PodState(String uid) {
        this.uid = uid;
    }
}
