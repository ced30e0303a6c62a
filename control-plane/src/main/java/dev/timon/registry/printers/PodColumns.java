package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;

import java.time.Clock;
import java.util.List;

/** core/v1 pods: Name, Ready, Status, Restarts, Age, then IP, Node, Nominated Node, Readiness Gates (wide). */
public final class PodColumns {

    private PodColumns() {
    }

    public static List<TableColumn<Pod>> columns() {
        return columns(Clock.systemUTC());
    }

    public static List<TableColumn<Pod>> columns(Clock clock) {
        return List.of(
                CommonColumns.name(),
                TableColumn.of("Ready", "string", "Ready containers out of all containers in the pod.",
                        p -> PodSummary.of(p).readyCell()),
                TableColumn.of("Status", "string", "Summary of the pod's phase and its containers' states.",
                        p -> PodSummary.of(p).status()),
                TableColumn.of("Restarts", "string", "Container restarts in the pod, and how long ago the last was.",
                        p -> PodSummary.of(p).restartsCell(clock.instant())),
                CommonColumns.age(clock),
                TableColumn.wide("IP", "string", "The pod's primary IP address.", PodColumns::podIP),
                TableColumn.wide("Node", "string", "Node the pod is bound to.",
                        p -> CommonColumns.orNone(spec(p).getNodeName())),
                TableColumn.wide("Nominated Node", "string", "Node the scheduler nominated while preempting.",
                        p -> CommonColumns.orNone(status(p).getNominatedNodeName())),
                TableColumn.wide("Readiness Gates", "string", "Readiness gates that are met, out of all of them.",
                        PodColumns::readinessGates));
    }

    // status.podIP wins over status.podIPs, as in the v1 to internal conversion the upstream printer sees.
    private static String podIP(Pod p) {
        PodStatus status = status(p);
        if (status.getPodIP() != null && !status.getPodIP().isEmpty()) {
            return status.getPodIP();
        }
        return CommonColumns.list(status.getPodIPs()).stream().findFirst()
                .map(ip -> CommonColumns.orNone(ip.getIp())).orElse(CommonColumns.NONE);
    }

    private static String readinessGates(Pod p) {
        List<PodReadinessGate> gates = CommonColumns.list(spec(p).getReadinessGates());
        if (gates.isEmpty()) {
            return CommonColumns.NONE;
        }
        List<PodCondition> conditions = CommonColumns.list(status(p).getConditions());
        long met = gates.stream()
                .filter(g -> conditions.stream()
                        .filter(c -> g.getConditionType() != null && g.getConditionType().equals(c.getType()))
                        .findFirst()
                        .map(c -> "True".equals(c.getStatus()))
                        .orElse(false))
                .count();
        return met + "/" + gates.size();
    }

    private static PodSpec spec(Pod p) {
        return p.getSpec() == null ? new PodSpec() : p.getSpec();
    }

    private static PodStatus status(Pod p) {
        return p.getStatus() == null ? new PodStatus() : p.getStatus();
    }
}
