package dev.timon.scheduler.plugins;

import dev.timon.controllers.Selectors;
import dev.timon.scheduler.NodeInfo;
import dev.timon.scheduler.PodInfo;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;

import java.util.List;
import java.util.Map;

/**
 * Filter: spec.nodeSelector and required node affinity (terms ORed, expressions ANDed). Score: the share of
 * preferred-term weight the node matches.
 */
public final class NodeAffinity implements SchedulerPlugin {

    static final String REASON = "node(s) didn't match Pod's node affinity/selector";

    @Override
    public List<String> filter(PodInfo pod, NodeInfo node) {
        Map<String, String> labels = labels(node);
        Map<String, String> selector = pod.pod().getSpec().getNodeSelector();
        if (selector != null && !labels.entrySet().containsAll(selector.entrySet())) {
            return List.of(REASON);
        }
        NodeSelector required = affinity(pod) == null ? null : affinity(pod).getRequiredDuringSchedulingIgnoredDuringExecution();
        if (required != null && required.getNodeSelectorTerms() != null
                && required.getNodeSelectorTerms().stream().noneMatch(term -> matches(term, node, labels))) {
            return List.of(REASON);
        }
        return List.of();
    }

    @Override
    public int score(PodInfo pod, NodeInfo node) {
        var affinity = affinity(pod);
        List<PreferredSchedulingTerm> preferred = affinity == null ? null
                : affinity.getPreferredDuringSchedulingIgnoredDuringExecution();
        if (preferred == null || preferred.isEmpty()) {
            return 0;
        }
        Map<String, String> labels = labels(node);
        int total = 0;
        int matched = 0;
        for (PreferredSchedulingTerm term : preferred) {
            total += term.getWeight();
            if (matches(term.getPreference(), node, labels)) {
                matched += term.getWeight();
            }
        }
        return total == 0 ? 0 : matched * 100 / total;
    }

    @Override
    public int scoreWeight() {
        return 2;
    }

    private static io.fabric8.kubernetes.api.model.NodeAffinity affinity(PodInfo pod) {
        var affinity = pod.pod().getSpec().getAffinity();
        return affinity == null ? null : affinity.getNodeAffinity();
    }

    private static Map<String, String> labels(NodeInfo node) {
        Map<String, String> labels = node.node().getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    private static boolean matches(NodeSelectorTerm term, NodeInfo node, Map<String, String> labels) {
        boolean any = false;
        if (term.getMatchExpressions() != null) {
            for (NodeSelectorRequirement r : term.getMatchExpressions()) {
                any = true;
                if (!Selectors.matches(r.getKey(), r.getOperator(), r.getValues(), labels)) {
                    return false;
                }
            }
        }
        if (term.getMatchFields() != null) {
            Map<String, String> fields = Map.of("metadata.name", node.name());
            for (NodeSelectorRequirement r : term.getMatchFields()) {
                any = true;
                if (!Selectors.matches(r.getKey(), r.getOperator(), r.getValues(), fields)) {
                    return false;
                }
            }
        }
        return any; // an empty term matches no node
    }
}
