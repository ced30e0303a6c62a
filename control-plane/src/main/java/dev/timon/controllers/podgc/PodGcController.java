package dev.timon.controllers.podgc;

import dev.timon.controllers.Controller;
import dev.timon.controllers.ControllerContext;
import dev.timon.controllers.ObjectKeys;
import dev.timon.controllers.PodConditions;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Periodically force-deletes (grace 0) pods bound to nodes that no longer exist, terminating pods never
 * scheduled, and the oldest finished pods beyond the threshold (upstream's --terminated-pod-gc-threshold).
 * One key: each pass looks at every pod.
 */
public final class PodGcController extends Controller {

    public static final int DEFAULT_TERMINATED_THRESHOLD = 12500;
    static final Duration PERIOD = Duration.ofSeconds(20);
    private static final String PASS = "pass";

    private final ControllerContext context;
    private final int terminatedThreshold;

    public PodGcController(ControllerContext context) {
        this(context, DEFAULT_TERMINATED_THRESHOLD);
    }

    public PodGcController(ControllerContext context, int terminatedThreshold) {
        super("podgc", 1);
        this.context = context;
        this.terminatedThreshold = terminatedThreshold;
        context.informers().forType(Node.class);
        context.informers().forType(Pod.class);
        queue.add(PASS);
    }

    @Override
    protected void reconcile(String key) {
        queue.addAfter(PASS, PERIOD);
        List<Pod> pods = context.informers().forType(Pod.class).getStore().list();
        // Asked once per node and pass: a deleted node's pods used to cost a GET each (11,000 for 1,000 nodes).
        Map<String, Boolean> goneFromServer = new HashMap<>();
        for (Pod pod : pods) {
            String node = pod.getSpec().getNodeName();
            boolean orphaned = node != null && !node.isEmpty() && context.informers().get(Node.class, null, node) == null
                    && goneFromServer.computeIfAbsent(node, this::nodeGoneFromServer);
            boolean unscheduledTerminating = (node == null || node.isEmpty()) && ObjectKeys.isDeleting(pod);
            if (orphaned || unscheduledTerminating) {
                forceDelete(pod);
            }
        }
        List<Pod> finished = pods.stream().filter(PodConditions::isFinished).filter(p -> !ObjectKeys.isDeleting(p))
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp())).toList();
        for (Pod pod : finished.subList(0, Math.max(0, finished.size() - terminatedThreshold))) {
            forceDelete(pod);
        }
    }

    /** The cache may lag behind a node just registered: ask the server before deleting its pods. */
    private boolean nodeGoneFromServer(String node) {
        return context.client().nodes().withName(node).get() == null;
    }

    private void forceDelete(Pod pod) {
        context.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .withGracePeriod(0).delete();
    }
}
