package dev.timon.scheduler.plugins;

import dev.timon.scheduler.NodeInfo;
import dev.timon.scheduler.PodInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Requests (cpu, memory, extended resources) and the pod count must fit in allocatable minus what is requested. */
public final class ResourceFit implements SchedulerPlugin {

    @Override
    public List<String> filter(PodInfo pod, NodeInfo node) {
        List<String> reasons = List.of(); // allocated only for a node that does not fit, the rare case
        if (node.podCount() + 1 > node.allocatable(PodInfo.PODS)) {
            reasons = with(reasons, "Too many pods");
        }
        for (Map.Entry<String, Long> request : pod.requests().entrySet()) {
            String resource = request.getKey();
            long amount = request.getValue();
            if (amount > 0 && amount > node.allocatable(resource) - node.requested(resource)) {
                reasons = with(reasons, "Insufficient " + resource);
            }
        }
        return reasons;
    }

    private static List<String> with(List<String> reasons, String reason) {
        List<String> more = new ArrayList<>(reasons);
        more.add(reason);
        return more;
    }
}
