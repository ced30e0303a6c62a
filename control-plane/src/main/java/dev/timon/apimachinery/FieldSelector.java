package dev.timon.apimachinery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A parsed field selector: {@code f=v}, {@code f==v}, {@code f!=v}, joined by commas (all must hold). */
public final class FieldSelector {

    private record Term(String field, String value, boolean negated) {
    }

    public static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = terms;
    }

    public static FieldSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        List<Term> terms = new ArrayList<>();
        for (String part : text.split(",")) {
            String term = part.trim();
            int ne = term.indexOf("!=");
            int eq = term.indexOf('=');
            if (ne > 0) {
                terms.add(new Term(term.substring(0, ne), term.substring(ne + 2), true));
            } else if (eq > 0) {
                int valueStart = term.startsWith("==", eq) ? eq + 2 : eq + 1;
                terms.add(new Term(term.substring(0, eq), term.substring(valueStart), false));
            } else {
                throw ApiException.badRequest("invalid selector: '" + text + "'; can't understand '" + term + "'");
            }
        }
        return new FieldSelector(terms);
    }

    public boolean isEverything() {
        return terms.isEmpty();
    }

    /** Rejects fields the resource does not index, with upstream's message. */
    public void checkSupported(Set<String> supported) {
        for (Term t : terms) {
            if (!supported.contains(t.field())) {
                throw ApiException.badRequest("field label not supported: " + t.field());
            }
        }
    }

    /** The value a term requires for {@code field} with "=", if any: lets reads narrow by name or namespace. */
    public String requiredValue(String field) {
        for (Term t : terms) {
            if (!t.negated() && t.field().equals(field)) {
                return t.value();
            }
        }
        return null;
    }

    /** The same selector with fields renamed by {@code names} (others kept), e.g. into a stored form's labels. */
    public FieldSelector renamed(Map<String, String> names) {
        if (names.isEmpty()) {
            return this;
        }
        return new FieldSelector(terms.stream()
                .map(t -> new Term(names.getOrDefault(t.field(), t.field()), t.value(), t.negated())).toList());
    }

    public boolean matches(Map<String, String> fields) {
        for (Term t : terms) {
            String actual = fields.getOrDefault(t.field(), "");
            if (t.negated() == actual.equals(t.value())) {
                return false;
            }
        }
        return true;
    }
}
