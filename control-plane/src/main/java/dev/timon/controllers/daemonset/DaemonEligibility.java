package dev.timon.controllers.daemonset;

import dev.timon.controllers.Taints;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a node should run a daemon pod (upstream's nodeShouldRunDaemonPod): the node must match the pod's
 * nodeSelector and required node affinity, and the pod must tolerate the node's NoSchedule and NoExecute
 * taints. A pod already there may stay on a node whose only untolerated taints are NoSchedule.
 */
public final class DaemonEligibility {

    public record Verdict(boolean shouldRun, boolean shouldContinueRunning) {
    }

    private DaemonEligibility() {
    }

    public static Verdict of(Node node, PodSpec podSpec) {
        if (!matchesNodeSelector(node, podSpec) || !matchesRequiredAffinity(node, podSpec)) {
            return new Verdict(false, false);
        }
        boolean shouldRun = true;
        List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
        List<Toleration> tolerations = podSpec.getTolerations() == null ? List.of() : podSpec.getTolerations();
        for (Taint taint : taints) {
            if ("PreferNoSchedule".equals(taint.getEffect()) || Taints.toleration(tolerations, taint).isPresent()) {
                continue;
            }
            if ("NoExecute".equals(taint.getEffect())) {
                return new Verdict(false, false);
            }
            shouldRun = false;
        }
        return new Verdict(shouldRun, true);
    }

    private static boolean matchesNodeSelector(Node node, PodSpec podSpec) {
        Map<String, String> labels = labels(node);
        return podSpec.getNodeSelector() == null
                || podSpec.getNodeSelector().entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private static boolean matchesRequiredAffinity(Node node, PodSpec podSpec) {
        Optional<List<NodeSelectorTerm>> terms = Optional.ofNullable(podSpec.getAffinity())
                .map(a -> a.getNodeAffinity())
                .map(a -> a.getRequiredDuringSchedulingIgnoredDuringExecution())
                .map(r -> r.getNodeSelectorTerms());
        return terms.isEmpty() || terms.get().stream().anyMatch(term -> matches(node, term));
    }

    /** A term matches when all its expressions do; an empty term matches nothing, as upstream. */
    private static boolean matches(Node node, NodeSelectorTerm term) {
        List<NodeSelectorRequirement> expressions = term.getMatchExpressions() == null ? List.of() : term.getMatchExpressions();
        List<NodeSelectorRequirement> fields = term.getMatchFields() == null ? List.of() : term.getMatchFields();
        if (expressions.isEmpty() && fields.isEmpty()) {
            return false;
        }
        Map<String, String> labels = labels(node);
        return expressions.stream().allMatch(r -> matches(r, labels.get(r.getKey())))
                && fields.stream().allMatch(r -> matches(r, "metadata.name".equals(r.getKey()) ? node.getMetadata().getName() : null));
    }

    private static boolean matches(NodeSelectorRequirement requirement, String value) {
        List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
        return switch (requirement.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt" -> value != null && values.size() == 1 && compare(value, values.get(0)) > 0;
            case "Lt" -> value != null && values.size() == 1 && compare(value, values.get(0)) < 0;
            default -> false;
        };
    }

    private static int compare(String value, String bound) {
        try {
            return Long.compare(Long.parseLong(value), Long.parseLong(bound));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Map<String, String> labels(Node node) {
        return node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    }
}
