package dev.timon.apiserver.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apimachinery.Json;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * One step of a field path: a field of a map or struct ({@code f:name}), the entry of an associative list with the
 * given key fields ({@code k:{"name":"nginx"}}), the entry of a set-like list with the given value
 * ({@code v:"foo"}) or a list index ({@code i:0}, only ever read, never produced here).
 *
 * <p>Elements sort as structured-merge-diff sorts them, so FieldsV1 documents come out in upstream's order:
 * fields before keys before values before indexes.
 */
public record PathElement(Kind kind, String field, JsonNode value, int index) implements Comparable<PathElement> {

    public enum Kind { FIELD, KEY, VALUE, INDEX }

    public static PathElement field(String name) {
        return new PathElement(Kind.FIELD, name, null, -1);
    }

    /** {@code keyFields} need not be sorted: the key is canonicalised by field name as upstream does. */
    public static PathElement key(ObjectNode keyFields) {
        Map<String, JsonNode> byName = new TreeMap<>();
        keyFields.properties().forEach(e -> byName.put(e.getKey(), e.getValue()));
        ObjectNode sorted = Json.MAPPER.createObjectNode();
        byName.forEach(sorted::set);
        return new PathElement(Kind.KEY, null, sorted, -1);
    }

    public static PathElement value(JsonNode value) {
        return new PathElement(Kind.VALUE, null, value, -1);
    }

    public static PathElement index(int index) {
        return new PathElement(Kind.INDEX, null, null, index);
    }

    /** Parses a FieldsV1 key other than {@code "."}. */
    public static PathElement parse(String key) {
        if (key.length() < 2 || key.charAt(1) != ':') {
            throw new IllegalArgumentException("invalid FieldsV1 key: " + key);
        }
        String rest = key.substring(2);
        return switch (key.charAt(0)) {
            case 'f' -> field(rest);
            case 'k' -> {
                JsonNode keyFields = parseJson(key, rest);
                if (!keyFields.isObject()) {
                    throw new IllegalArgumentException("invalid FieldsV1 key: " + key);
                }
                yield key((ObjectNode) keyFields);
            }
            case 'v' -> value(parseJson(key, rest));
            case 'i' -> {
                try {
                    yield index(Integer.parseInt(rest));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("invalid FieldsV1 key: " + key, e);
                }
            }
            default -> throw new IllegalArgumentException("invalid FieldsV1 key: " + key);
        };
    }

    /** The key of this element in a FieldsV1 document. */
    public String fieldsV1Key() {
        return switch (kind) {
            case FIELD -> "f:" + field;
            case KEY -> "k:" + Json.string(value);
            case VALUE -> "v:" + Json.string(value);
            case INDEX -> "i:" + index;
        };
    }

    /** The form used in conflict messages: {@code .replicas}, {@code [name="nginx"]}, {@code [=foo]}, {@code [0]}. */
    @Override
    public String toString() {
        return switch (kind) {
            case FIELD -> "." + field;
            case KEY -> {
                StringBuilder text = new StringBuilder("[");
                value.properties().forEach(e -> text.append(text.length() > 1 ? "," : "")
                        .append(e.getKey()).append('=').append(Json.string(e.getValue())));
                yield text.append(']').toString();
            }
            case VALUE -> "[=" + Json.string(value) + "]";
            case INDEX -> "[" + index + "]";
        };
    }

    @Override
    public int compareTo(PathElement other) {
        if (kind != other.kind) {
            return kind.compareTo(other.kind);
        }
        return switch (kind) {
            case FIELD -> field.compareTo(other.field);
            case KEY -> compareKeys(value, other.value);
            case VALUE -> compareValues(value, other.value);
            case INDEX -> Integer.compare(index, other.index);
        };
    }

    private static JsonNode parseJson(String key, String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid FieldsV1 key: " + key, e);
        }
    }

    /** Key fields pairwise (name, then value), then the shorter key first. */
    private static int compareKeys(JsonNode left, JsonNode right) {
        Iterator<Map.Entry<String, JsonNode>> l = left.properties().iterator();
        Iterator<Map.Entry<String, JsonNode>> r = right.properties().iterator();
        while (l.hasNext() && r.hasNext()) {
            Map.Entry<String, JsonNode> a = l.next();
            Map.Entry<String, JsonNode> b = r.next();
            int byName = a.getKey().compareTo(b.getKey());
            if (byName != 0) {
                return byName;
            }
            int byValue = compareValues(a.getValue(), b.getValue());
            if (byValue != 0) {
                return byValue;
            }
        }
        return Boolean.compare(l.hasNext(), r.hasNext());
    }

    /** structured-merge-diff's total order: numbers, strings, booleans, lists, maps, then null. */
    static int compareValues(JsonNode left, JsonNode right) {
        int byType = Integer.compare(rank(left), rank(right));
        if (byType != 0) {
            return byType;
        }
        if (left.isNumber()) {
            return left.decimalValue().compareTo(right.decimalValue());
        }
        if (left.isTextual() || left.isBoolean()) {
            return left.asText().compareTo(right.asText());
        }
        return Json.string(left).compareTo(Json.string(right));
    }

    private static int rank(JsonNode node) {
        if (node.isNumber()) {
            return 0;
        }
        if (node.isTextual()) {
            return 1;
        }
        if (node.isBoolean()) {
            return 2;
        }
        if (node.isArray()) {
            return 3;
        }
        return node.isObject() ? 4 : 5;
    }
}
