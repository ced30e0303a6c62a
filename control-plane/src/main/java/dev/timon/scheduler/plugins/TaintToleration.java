package dev.timon.scheduler.plugins;

import dev.timon.controllers.Taints;
import dev.timon.scheduler.NodeInfo;
import dev.timon.scheduler.PodInfo;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;

/** Every NoSchedule and NoExecute taint of the node must be tolerated by the pod. */
public final class TaintToleration implements SchedulerPlugin {

    @Override
    public List<String> filter(PodInfo pod, NodeInfo node) {
        List<Taint> taints = node.node().getSpec() == null ? null : node.node().getSpec().getTaints();
        if (taints == null) {
            return List.of();
        }
        List<Toleration> tolerations = pod.pod().getSpec().getTolerations();
        for (Taint taint : taints) {
            if (("NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect()))
                    && Taints.toleration(tolerations, taint).isEmpty()) {
                String value = taint.getValue() == null ? "" : taint.getValue();
                return List.of("node(s) had untolerated taint {" + taint.getKey() + ": " + value + "}");
            }
        }
        return List.of();
    }
}
