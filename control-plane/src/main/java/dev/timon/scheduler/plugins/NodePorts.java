package dev.timon.scheduler.plugins;

import dev.timon.scheduler.NodeInfo;
import dev.timon.scheduler.PodInfo;

import java.util.List;

/** Host ports the pod asks for must be free on the node. */
public final class NodePorts implements SchedulerPlugin {

    @Override
    public List<String> filter(PodInfo pod, NodeInfo node) {
        for (String port : pod.hostPorts()) {
            if (node.portInUse(port)) {
                return List.of("node(s) didn't have free ports for the requested pod ports");
            }
        }
        return List.of();
    }
}
