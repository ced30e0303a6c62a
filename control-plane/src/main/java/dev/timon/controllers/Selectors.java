package dev.timon.controllers;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;

import java.util.List;
import java.util.Map;

/** metav1.LabelSelector matching over label maps, and a pod's node selection (nodeSelector, node affinity) over nodes. */
public final class Selectors {

    private Selectors() {
    }

    /** Whether labels (null: none) hold every key and value of an equality selector such as a Service's or nodeSelector. */
    public static boolean matchesAll(Map<String, String> selector, Map<String, String> labels) {
        return (labels == null ? Map.<String, String>of() : labels).entrySet().containsAll(selector.entrySet());
    }

    /** Whether labels satisfy the selector; a null selector matches nothing and an empty one everything. */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> actual = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (var entry : selector.getMatchLabels().entrySet()) {
                if (!entry.getValue().equals(actual.get(entry.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
                if (!matches(requirement.getKey(), requirement.getOperator(), requirement.getValues(), actual)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** One requirement: In, NotIn, Exists, DoesNotExist (and Gt/Lt for node selector terms). */
    public static boolean matches(String key, String operator, List<String> values, Map<String, String> labels) {
        String value = labels.get(key);
        return switch (operator) {
            case "In" -> value != null && values != null && values.contains(value);
            case "NotIn" -> value == null || values == null || !values.contains(value);
            case "Exists" -> labels.containsKey(key);
            case "DoesNotExist" -> !labels.containsKey(key);
            case "Gt", "Lt" -> value != null && values != null && values.size() == 1
                    && compareInts(value, values.get(0), operator);
            default -> false;
        };
    }

    private static boolean compareInts(String value, String bound, String operator) {
        try {
            long v = Long.parseLong(value);
            long b = Long.parseLong(bound);
            return operator.equals("Gt") ? v > b : v < b;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether the node satisfies the pod's nodeSelector and its required node affinity (terms ORed). */
    public static boolean nodeMatches(PodSpec spec, Node node) {
        Map<String, String> selector = spec.getNodeSelector();
        return (selector == null || matchesAll(selector, node.getMetadata().getLabels()))
                && requiredAffinityMatches(spec, node);
    }

    /** Required node affinity: one of its terms holds (no required affinity: any node). */
    public static boolean requiredAffinityMatches(PodSpec spec, Node node) {
        NodeSelector required = spec.getAffinity() == null || spec.getAffinity().getNodeAffinity() == null ? null
                : spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        return required == null || required.getNodeSelectorTerms() == null
                || required.getNodeSelectorTerms().stream().anyMatch(term -> matches(term, node));
    }

    /** A node selector term: all its expressions (labels) and fields (metadata.name) hold; an empty term matches no node. */
    public static boolean matches(NodeSelectorTerm term, Node node) {
        boolean any = false;
        if (term.getMatchExpressions() != null) {
            Map<String, String> labels = labels(node);
            for (NodeSelectorRequirement r : term.getMatchExpressions()) {
                any = true;
                if (!matches(r.getKey(), r.getOperator(), r.getValues(), labels)) {
                    return false;
                }
            }
        }
        if (term.getMatchFields() != null) {
            Map<String, String> fields = Map.of("metadata.name", node.getMetadata().getName());
            for (NodeSelectorRequirement r : term.getMatchFields()) {
                any = true;
                if (!matches(r.getKey(), r.getOperator(), r.getValues(), fields)) {
                    return false;
                }
            }
        }
        return any;
    }

    private static Map<String, String> labels(Node node) {
        return node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    }
}
