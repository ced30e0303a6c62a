package dev.timon.scheduler;

import dev.timon.client.Informers;
import dev.timon.controllers.Controller;
import dev.timon.controllers.EventRecorder;
import dev.timon.controllers.ObjectKeys;
import dev.timon.controllers.RateLimiter;
import dev.timon.scheduler.plugins.SchedulerPlugin;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default scheduler: pods with no node and schedulerName default-scheduler go through a work queue; one
 * worker filters and scores nodes on {@link SchedulerCache}, assumes the pod on the best node and hands the
 * binding to {@link Binder}, so the next pod is scheduled while the binding is in flight. Pods that fit nowhere
 * wait with back-off (1 s doubling to 10 s) and are retried at once when a node or a pod changes.
 */
public final class Scheduler extends Controller {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    public static final String NAME = "default-scheduler";

    private final Informers informers;
    private final EventRecorder events;
    private final SchedulerCache cache = new SchedulerCache();
    private final List<SchedulerPlugin> plugins;
    private final Binder binder;
    private final Set<String> unschedulable = ConcurrentHashMap.newKeySet();
    private final Map<String, String> lastFailure = new ConcurrentHashMap<>();
    private int nextStartNode;

    public Scheduler(KubernetesClient client, Informers informers, EventRecorder events, List<SchedulerPlugin> plugins) {
        super("scheduler", 1, new RateLimiter<>(Duration.ofSeconds(1), Duration.ofSeconds(10), 1e9, Integer.MAX_VALUE));
        this.informers = informers;
        this.events = events;
        this.plugins = plugins;
        this.binder = new Binder(client, 64);
        informers.forType(Node.class).addEventHandler(on((Node node) -> {
            if (informers.get(Node.class, null, node.getMetadata().getName()) == null) {
                cache.removeNode(node);
            } else {
                cache.upsertNode(node);
            }
            retryUnschedulable();
        }));
        informers.forType(Pod.class).addEventHandler(new PodHandler());
    }

    @Override
    protected void reconcile(String key) {
        Pod pod = informers.get(Pod.class, ObjectKeys.namespace(key), ObjectKeys.name(key));
        if (pod == null || !needsScheduling(pod) || cache.isAssumed(pod)) {
            unschedulable.remove(key);
            lastFailure.remove(key);
            return;
        }
        PodInfo info = PodInfo.of(pod);
        String chosen;
        int nodeCount;
        Map<String, Integer> reasons = new HashMap<>();
        synchronized (cache) {
            List<NodeInfo> nodes = cache.nodes();
            nodeCount = nodes.size();
            chosen = selectNode(info, nodes, reasons);
            if (chosen != null) {
                cache.assume(info, chosen);
            }
        }
        if (chosen == null) {
            unschedulable(key, pod, FailureMessage.of(nodeCount, reasons));
            return;
        }
        unschedulable.remove(key);
        lastFailure.remove(key);
        String node = chosen;
        binder.bind(pod, node).whenComplete((ok, error) -> {
            if (error == null) {
                events.normal(pod, "Scheduled", "Successfully assigned " + key + " to " + node);
            } else {
                LOG.debug("binding {} to {} failed: {}", key, node, error.toString());
                cache.forget(pod);
                queue.addRateLimited(key);
            }
        });
    }

    /**
     * Filters nodes from a rotating start until enough feasible ones are found (upstream's adaptive
     * percentageOfNodesToScore, so big clusters are not scanned whole for every pod), then picks the best score.
     */
    private String selectNode(PodInfo pod, List<NodeInfo> nodes, Map<String, Integer> reasons) {
        int n = nodes.size();
        if (n == 0) {
            return null;
        }
        int wanted = feasibleNodesToFind(n);
        int found = 0;
        String best = null;
        long bestScore = -1;
        int start = nextStartNode % n;
        int visited = 0;
        for (; visited < n && found < wanted; visited++) {
            NodeInfo node = nodes.get((start + visited) % n);
            List<String> why = filter(pod, node);
            if (!why.isEmpty()) {
                why.forEach(reason -> reasons.merge(reason, 1, Integer::sum));
                continue;
            }
            found++;
            long score = score(pod, node);
            if (score > bestScore) {
                bestScore = score;
                best = node.name();
            }
        }
        nextStartNode = (start + visited) % n;
        return best;
    }

    static int feasibleNodesToFind(int nodes) {
        if (nodes < 100) {
            return nodes;
        }
        int percentage = Math.max(5, 50 - nodes / 125);
        return Math.max(100, nodes * percentage / 100);
    }

    private List<String> filter(PodInfo pod, NodeInfo node) {
        for (SchedulerPlugin plugin : plugins) {
            List<String> reasons = plugin.filter(pod, node);
            if (!reasons.isEmpty()) {
                return reasons; // like upstream, the first failing plugin's reasons are reported
            }
        }
        return List.of();
    }

    private long score(PodInfo pod, NodeInfo node) {
        long total = 0;
        for (SchedulerPlugin plugin : plugins) {
            if (plugin.scoreWeight() > 0) {
                total += (long) plugin.scoreWeight() * plugin.score(pod, node);
            }
        }
        return total;
    }

    private void unschedulable(String key, Pod pod, String message) {
        if (!message.equals(lastFailure.put(key, message))) {
            events.warning(pod, "FailedScheduling", message);
            binder.markUnschedulable(pod, message);
        }
        unschedulable.add(key);
        queue.addAfter(key, backoff(key));
    }

    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

    private Duration backoff(String key) {
        int attempt = attempts.merge(key, 1, Integer::sum);
        return Duration.ofMillis(Math.min(10_000, 1000L << Math.min(attempt - 1, 4)));
    }

    /** Something changed that may make waiting pods fit: try them all again now. */
    private void retryUnschedulable() {
        for (String key : unschedulable) {
            queue.add(key);
        }
    }

    private static boolean needsScheduling(Pod pod) {
        return pod.getSpec().getNodeName() == null
                && Objects.requireNonNullElse(pod.getSpec().getSchedulerName(), NAME).equals(NAME)
                && pod.getMetadata().getDeletionTimestamp() == null;
    }

    private static boolean counts(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return pod.getSpec().getNodeName() != null && !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    /** Keeps the cache in step with bound pods and queues the unbound ones. */
    private final class PodHandler implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            onUpdate(null, pod);
        }

        @Override
        public void onUpdate(Pod oldPod, Pod pod) {
            if (counts(pod)) {
                cache.upsertPod(pod);
                attempts.remove(ObjectKeys.key(pod));
            } else if (pod.getSpec().getNodeName() != null) {
                cache.removePod(pod); // finished pods free their node
                retryUnschedulable();
            } else if (needsScheduling(pod)) {
                enqueue(pod);
            }
        }

        @Override
        public void onDelete(Pod pod, boolean finalStateUnknown) {
            cache.removePod(pod);
            String key = ObjectKeys.key(pod);
            attempts.remove(key);
            unschedulable.remove(key);
            lastFailure.remove(key);
            retryUnschedulable();
        }
    }

    @Override
    public void close() {
        super.close();
        binder.close();
    }
}
