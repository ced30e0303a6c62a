package dev.timon.registry.printers;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Label selectors and label maps as apimachinery renders them: requirements sorted by key, set values sorted,
 * e.g. {@code app=web,tier in (a,b),!canary}.
 */
final class LabelSelectors {

    private LabelSelectors() {
    }

    /** Like metav1.FormatLabelSelector: "&lt;none&gt;" when it selects by nothing, "&lt;error&gt;" when malformed. */
    static String format(LabelSelector selector) {
        try {
            String s = render(selector);
            return s.isEmpty() ? CommonColumns.NONE : s;
        } catch (IllegalArgumentException e) {
            return "<error>";
        }
    }

    /** The selector's plain string (empty when it has no requirements), "&lt;invalid&gt;" when malformed. */
    static String plain(LabelSelector selector) {
        try {
            return render(selector);
        } catch (IllegalArgumentException e) {
            return "<invalid>";
        }
    }

    /** Like labels.FormatLabels: "k1=v1,k2=v2" sorted by key, "&lt;none&gt;" when empty. */
    static String formatLabels(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return CommonColumns.NONE;
        }
        List<String> pairs = new ArrayList<>();
        new TreeMap<>(labels).forEach((k, v) -> pairs.add(k + "=" + v));
        return String.join(",", pairs);
    }

    private record Requirement(String key, String text) {
    }

    private static String render(LabelSelector selector) {
        if (selector == null) {
            return "";
        }
        List<Requirement> requirements = new ArrayList<>();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((k, v) -> requirements.add(new Requirement(k, k + "=" + v)));
        }
        for (LabelSelectorRequirement r : CommonColumns.list(selector.getMatchExpressions())) {
            requirements.add(new Requirement(r.getKey(), expression(r)));
        }
        requirements.sort(Comparator.comparing(Requirement::key));
        return String.join(",", requirements.stream().map(Requirement::text).toList());
    }

    private static String expression(LabelSelectorRequirement r) {
        List<String> values = CommonColumns.list(r.getValues());
        String op = r.getOperator() == null ? "" : r.getOperator();
        switch (op) {
            case "In", "NotIn" -> {
                if (values.isEmpty()) {
                    throw new IllegalArgumentException(op + " needs values");
                }
                String sorted = String.join(",", values.stream().sorted().toList());
                return r.getKey() + ("In".equals(op) ? " in (" : " notin (") + sorted + ")";
            }
            case "Exists", "DoesNotExist" -> {
                if (!values.isEmpty()) {
                    throw new IllegalArgumentException(op + " takes no values");
                }
                return ("Exists".equals(op) ? "" : "!") + r.getKey();
            }
            default -> throw new IllegalArgumentException("unknown operator " + op);
        }
    }
}
