package dev.timon.scheduler.plugins;

import dev.timon.controllers.Taints;
import dev.timon.scheduler.NodeInfo;
import dev.timon.scheduler.PodInfo;
import io.fabric8.kubernetes.api.model.Taint;

import java.util.List;

/** Every NoSchedule and NoExecute taint of the node must be tolerated by the pod. */
public final class TaintToleration implements SchedulerPlugin {

    @Override
    public List<String> filter(PodInfo pod, NodeInfo node) {
        for (Taint taint : node.schedulingTaints()) {
            if (Taints.toleration(pod.pod().getSpec().getTolerations(), taint).isEmpty()) {
                String value = taint.getValue() == null ? "" : taint.getValue();
                return List.of("node(s) had untolerated taint {" + taint.getKey() + ": " + value + "}");
            }
        }
        return List.of();
    }
}
