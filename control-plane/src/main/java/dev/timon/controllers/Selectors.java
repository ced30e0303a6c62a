package dev.timon.controllers;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.List;
import java.util.Map;

/** metav1.LabelSelector matching over label maps. */
public final class Selectors {

    private Selectors() {
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
}
