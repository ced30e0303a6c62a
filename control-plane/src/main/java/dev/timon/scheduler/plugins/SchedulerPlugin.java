package dev.timon.scheduler.plugins;

import dev.timon.scheduler.NodeInfo;
import dev.timon.scheduler.PodInfo;

import java.util.List;

/**
 * One scheduling concern. A filter says why a node cannot run a pod (upstream's wording, counted into the
 * FailedScheduling message); a score rates a feasible node from 0 to 100, weighted by {@link #scoreWeight()}.
 * Both must be pure functions of the pod and the node.
 */
public interface SchedulerPlugin {

    /** The reasons the node cannot run the pod; empty when it can. */
    default List<String> filter(PodInfo pod, NodeInfo node) {
        return List.of();
    }

    /** 0..100, higher is better. */
    default int score(PodInfo pod, NodeInfo node) {
        return 0;
    }

    /** 0 for plugins that do not score. */
    default int scoreWeight() {
        return 0;
    }

    static List<SchedulerPlugin> defaults() {
        return List.of(new NodeReady(), new NodeAffinity(), new TaintToleration(), new NodePorts(),
                new ResourceFit(), new PodAntiAffinity(), new LeastAllocated(), new BalancedAllocation(),
                new OwnerSpread());
    }
}
