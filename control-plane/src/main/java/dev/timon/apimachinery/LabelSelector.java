package dev.timon.apimachinery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed label selector in the string form clients send: {@code a=b}, {@code a==b}, {@code a!=b},
 * {@code a in (x,y)}, {@code a notin (x)}, {@code a}, {@code !a}, joined by commas (all must hold).
 */
public final class LabelSelector {

    private enum Op { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, NOT_EXISTS }

    private record Requirement(String key, Op op, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String value = labels == null ? null : labels.get(key);
            return switch (op) {
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case NOT_EXISTS -> value == null;
            };
        }
    }

    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    public boolean isEverything() {
        return requirements.isEmpty();
    }

    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** Builds a selector from a workload's matchLabels and matchExpressions (metav1.LabelSelector). */
    public static LabelSelector of(io.fabric8.kubernetes.api.model.LabelSelector selector) {
        if (selector == null) {
            return EVERYTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((k, v) -> requirements.add(new Requirement(k, Op.EQUALS, Set.of(v))));
        }
        if (selector.getMatchExpressions() != null) {
            selector.getMatchExpressions().forEach(e -> requirements.add(new Requirement(e.getKey(), switch (e.getOperator()) {
                case "In" -> Op.IN;
                case "NotIn" -> Op.NOT_IN;
                case "Exists" -> Op.EXISTS;
                case "DoesNotExist" -> Op.NOT_EXISTS;
                default -> throw ApiException.badRequest("unsupported label selector operator " + e.getOperator());
            }, e.getValues() == null ? Set.of() : new TreeSet<>(e.getValues()))));
        }
        return new LabelSelector(requirements);
    }

    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        for (String term : splitTopLevel(text)) {
            requirements.add(parseTerm(term.trim(), text));
        }
        return new LabelSelector(requirements);
    }

    private static Requirement parseTerm(String term, String whole) {
        if (term.startsWith("!")) {
            return new Requirement(validKey(term.substring(1).trim(), whole), Op.NOT_EXISTS, Set.of());
        }
        int paren = term.indexOf('(');
        if (paren > 0) {
            String head = term.substring(0, paren).trim();
            if (!term.endsWith(")")) {
                throw invalid(whole);
            }
            Set<String> values = new TreeSet<>();
            for (String v : term.substring(paren + 1, term.length() - 1).split(",")) {
                if (!v.isBlank()) {
                    values.add(v.trim());
                }
            }
            String[] words = head.split("\\s+");
            if (words.length != 2) {
                throw invalid(whole);
            }
            Op op = switch (words[1]) {
                case "in" -> Op.IN;
                case "notin" -> Op.NOT_IN;
                default -> throw invalid(whole);
            };
            return new Requirement(validKey(words[0], whole), op, values);
        }
        for (String opText : new String[] {"!=", "==", "="}) {
            int at = term.indexOf(opText);
            if (at > 0) {
                String value = term.substring(at + opText.length()).trim();
                Names.labelValue(value).ifPresent(e -> {
                    throw ApiException.badRequest("unable to parse requirement: values[0][" + term.substring(0, at).trim()
                            + "]: Invalid value: \"" + value + "\": " + e);
                });
                return new Requirement(validKey(term.substring(0, at).trim(), whole),
                        opText.equals("!=") ? Op.NOT_EQUALS : Op.EQUALS, Set.of(value));
            }
        }
        return new Requirement(validKey(term, whole), Op.EXISTS, Set.of());
    }

    private static String validKey(String key, String whole) {
        Names.qualifiedName(key).ifPresent(e -> {
            throw ApiException.badRequest("unable to parse requirement: key: Invalid value: \"" + key + "\": " + e);
        });
        return key;
    }

    /** Splits on commas that are not inside a parenthesised value set. */
    private static List<String> splitTopLevel(String text) {
        List<String> terms = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                terms.add(text.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(text.substring(start));
        return terms;
    }

    private static ApiException invalid(String text) {
        return ApiException.badRequest("unable to parse requirement: found '" + text + "', expected: valid label selector");
    }
}
