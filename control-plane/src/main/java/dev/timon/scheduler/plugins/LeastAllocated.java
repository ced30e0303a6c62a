package dev.timon.scheduler.plugins;

import dev.timon.scheduler.NodeInfo;
import dev.timon.scheduler.PodInfo;

/** Prefers the node with the most cpu and memory left after placing the pod (non-zero requests). */
public final class LeastAllocated implements SchedulerPlugin {

    @Override
    public int score(PodInfo pod, NodeInfo node) {
        return (free(node.allocatable(PodInfo.CPU), node.nonZeroCpu() + pod.nonZeroCpu())
                + free(node.allocatable(PodInfo.MEMORY), node.nonZeroMemory() + pod.nonZeroMemory())) / 2;
    }

    @Override
    public int scoreWeight() {
        return 1;
    }

    private static int free(long allocatable, long requested) {
        if (allocatable <= 0 || requested > allocatable) {
            return 0;
        }
        return (int) ((allocatable - requested) * 100 / allocatable);
    }
}
