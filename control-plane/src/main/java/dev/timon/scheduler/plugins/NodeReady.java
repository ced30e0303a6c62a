package dev.timon.scheduler.plugins;

import dev.timon.controllers.Taints;
import dev.timon.scheduler.NodeInfo;
import dev.timon.scheduler.PodInfo;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;

/** Nodes must be Ready and not cordoned (unless the pod tolerates node.kubernetes.io/unschedulable). */
public final class NodeReady implements SchedulerPlugin {

    @Override
    public List<String> filter(PodInfo pod, NodeInfo node) {
        if (node.unschedulable() && !toleratesCordon(pod)) {
            return List.of("node(s) were unschedulable");
        }
        if (!node.ready()) {
            return List.of("node(s) were not ready");
        }
        return List.of();
    }

    private static boolean toleratesCordon(PodInfo pod) {
        List<Toleration> tolerations = pod.pod().getSpec().getTolerations();
        Taint cordon = new Taint("NoSchedule", Taints.UNSCHEDULABLE, null, null);
        return Taints.toleration(tolerations, cordon).isPresent();
    }
}
