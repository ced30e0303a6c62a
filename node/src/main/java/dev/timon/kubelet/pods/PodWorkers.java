package dev.timon.kubelet.pods;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker per pod uid: syncs run on a shared pool, never two at once for one pod, and a request arriving
 * during a sync runs one more sync right after it (requests coalesce). A worker ends when its pod is gone from
 * both the API and the runtime.
 */
public final class PodWorkers {
    private static final Logger LOG = LoggerFactory.getLogger(PodWorkers.class);

    /** Converges one pod; yields true when the pod is gone everywhere and its worker can end. */
    public interface Sync {
        boolean sync(PodState state) throws Exception;
    }

    private final class Worker {
        final PodState state;
        boolean running;
        boolean pending;

        Worker(String uid) {
            state = new PodState(uid);
        }
    }

    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    private final ExecutorService pool;
    private final ScheduledExecutorService timer;
    private volatile Sync sync;

    public PodWorkers(ExecutorService pool, ScheduledExecutorService timer) {
        this.pool = pool;
        this.timer = timer;
    }

    public void setSync(Sync sync) {
        this.sync = sync;
    }

    /** The API server's latest version of a pod bound here; syncs only when it changed more than its status. */
    public void update(Pod pod) {
        var worker = workers.computeIfAbsent(pod.getMetadata().getUid(), Worker::new);
        Pod old = worker.state.pod;
        worker.state.pod = pod;
        if (PodUpdates.needsSync(old, pod)) {
            schedule(worker);
        }
    }

    /** The pod object is gone (or the runtime holds a pod the API does not know): tear it down. */
    public void removed(String uid) {
        var worker = workers.computeIfAbsent(uid, Worker::new);
        worker.state.pod = null;
        schedule(worker);
    }

    public void wake(String uid) {
        var worker = workers.get(uid);
        if (worker != null) {
            schedule(worker);
        }
    }

    public void wakeAt(String uid, Instant when) {
        long delay = Math.max(0, Duration.between(Instant.now(), when).toMillis()) + 50;
        timer.schedule(() -> wake(uid), delay, TimeUnit.MILLISECONDS);
    }

    /** Syncs every pod the node runs, as upstream's periodic sync does, whether or not anything announced a change. */
    public void resyncAll() {
        for (Worker worker : workers.values()) {
            if (worker.state.pod != null) {
                schedule(worker);
            }
        }
    }

    /** The pods the node runs, as last seen. */
    public List<Pod> pods() {
        return workers.values().stream().map(worker -> worker.state.pod).filter(Objects::nonNull).toList();
    }

    public Set<String> uids() {
        return workers.keySet();
    }

    private void schedule(Worker worker) {
        synchronized (worker) {
            if (worker.running) {
                worker.pending = true;
                return;
            }
            worker.running = true;
        }
        pool.execute(() -> run(worker));
    }

    private void run(Worker worker) {
        while (true) {
            boolean finished = false;
            try {
                finished = sync.sync(worker.state);
            } catch (Exception | Error e) {
                LOG.warn("sync of pod {} failed: {}", worker.state.uid, e.toString(), e);
                // Retry later: the runtime or the API server may be back by then.
                wakeAt(worker.state.uid, Instant.now().plusSeconds(2));
            }
            synchronized (worker) {
                if (finished && worker.state.pod == null && !worker.pending) {
                    workers.remove(worker.state.uid, worker);
                    worker.running = false;
                    return;
                }
                if (!worker.pending) {
                    worker.running = false;
                    return;
                }
                worker.pending = false;
            }
        }
    }
}
