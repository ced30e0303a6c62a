package dev.timon.scheduler.plugins;

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
                    && (tolerations == null || tolerations.stream().noneMatch(t -> tolerates(t, taint)))) {
                String value = taint.getValue() == null ? "" : taint.getValue();
                return List.of("node(s) had untolerated taint {" + taint.getKey() + ": " + value + "}");
            }
        }
        return List.of();
    }

    static boolean tolerates(Toleration toleration, Taint taint) {
        if (toleration.getEffect() != null && !toleration.getEffect().isEmpty()
                && !toleration.getEffect().equals(taint.getEffect())) {
            return false;
        }
        if (toleration.getKey() == null || toleration.getKey().isEmpty()) {
            return "Exists".equals(toleration.getOperator()); // empty key with Exists tolerates everything
        }
        if (!toleration.getKey().equals(taint.getKey())) {
            return false;
        }
        if ("Exists".equals(toleration.getOperator())) {
            return true;
        }
        String value = toleration.getValue() == null ? "" : toleration.getValue();
        return value.equals(taint.getValue() == null ? "" : taint.getValue());
    }
}
