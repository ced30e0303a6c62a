package dev.timon.scheduler.plugins;

import dev.timon.scheduler.NodeInfo;
import dev.timon.scheduler.PodInfo;

/** Prefers nodes whose cpu and memory would be used in equal shares, so neither runs out while the other idles. */
public final class BalancedAllocation implements SchedulerPlugin {

    @Override
    public int score(PodInfo pod, NodeInfo node) {
        double cpu = fraction(node.nonZeroCpu() + pod.nonZeroCpu(), node.allocatable(PodInfo.CPU));
        double memory = fraction(node.nonZeroMemory() + pod.nonZeroMemory(), node.allocatable(PodInfo.MEMORY));
        return (int) ((1 - Math.abs(cpu - memory) / 2) * 100);
    }

    @Override
    public int scoreWeight() {
        return 1;
    }

    private static double fraction(long requested, long allocatable) {
        return allocatable <= 0 ? 1 : Math.min(1, (double) requested / allocatable);
    }
}
