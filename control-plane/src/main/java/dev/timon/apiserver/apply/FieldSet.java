package dev.timon.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apimachinery.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A set of field paths, as one managedFields entry records what its manager owns. Like structured-merge-diff's
 * set, each level keeps the elements that are themselves members and the elements under which deeper members sit;
 * an element can be both (a list entry owned with some of its fields).
 *
 * <p>Serialised as FieldsV1: each element becomes a key ({@code f:}, {@code k:}, {@code v:}, {@code i:}); a member
 * without children is {@code {}}, a member with children also carries {@code ".": {}}.
 *
 * <p>Instances are not changed once handed out; the mutating helpers are for builders inside this package.
 */
public final class FieldSet {

    private static final String SELF = ".";
    private static final FieldSet EMPTY = new FieldSet();

    private final TreeSet<PathElement> members = new TreeSet<>();
    private final TreeMap<PathElement, FieldSet> children = new TreeMap<>();

    public static FieldSet empty() {
        return new FieldSet();
    }

    /** The leaf fields and list entries set in {@code object}, as upstream's ToFieldSet. */
    public static FieldSet of(ObjectNode object, Class<?> type) {
        FieldSet set = new FieldSet();
        Shape shape = Shape.of(type);
        object.properties().forEach(e -> set.addValue(PathElement.field(e.getKey()), e.getValue(), shape.field(e.getKey()), false));
        return set;
    }

    /** Parses a FieldsV1 document. */
    public static FieldSet fromFieldsV1(JsonNode fields) {
        if (fields == null || !fields.isObject()) {
            throw new IllegalArgumentException("FieldsV1 must be a JSON object");
        }
        FieldSet set = new FieldSet();
        for (Map.Entry<String, JsonNode> entry : fields.properties()) {
            if (entry.getKey().equals(SELF)) {
                continue;
            }
            PathElement element = PathElement.parse(entry.getKey());
            JsonNode value = entry.getValue();
            if (!value.isObject()) {
                throw new IllegalArgumentException("FieldsV1 values must be JSON objects, got " + value + " at " + entry.getKey());
            }
            if (value.isEmpty() || value.has(SELF)) {
                set.members.add(element);
            }
            FieldSet child = fromFieldsV1(value);
            if (!child.isEmpty()) {
                set.children.put(element, child);
            }
        }
        return set;
    }

    public ObjectNode toFieldsV1() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        TreeSet<PathElement> elements = new TreeSet<>(members);
        elements.addAll(children.keySet());
        for (PathElement element : elements) {
            FieldSet child = children.get(element);
            ObjectNode value = child == null ? Json.MAPPER.createObjectNode() : child.toFieldsV1();
            if (child != null && members.contains(element)) {
                ObjectNode withSelf = Json.MAPPER.createObjectNode();
                withSelf.set(SELF, Json.MAPPER.createObjectNode());
                withSelf.setAll(value);
                value = withSelf;
            }
            out.set(element.fieldsV1Key(), value);
        }
        return out;
    }

    public boolean isEmpty() {
        return members.isEmpty() && children.isEmpty();
    }

    public boolean has(Path path) {
        FieldSet level = this;
        List<PathElement> elements = path.elements();
        for (int i = 0; i < elements.size() - 1 && level != null; i++) {
            level = level.children.get(elements.get(i));
        }
        return level != null && !elements.isEmpty() && level.members.contains(elements.get(elements.size() - 1));
    }

    /** Every member, depth first in FieldsV1 order. */
    public List<Path> paths() {
        List<Path> out = new ArrayList<>();
        collect(new Path(List.of()), out);
        return out;
    }

    public FieldSet union(FieldSet other) {
        FieldSet out = copy();
        out.members.addAll(other.members);
        other.children.forEach((element, child) -> out.children.merge(element, child.copy(), FieldSet::union));
        return out;
    }

    public FieldSet intersection(FieldSet other) {
        FieldSet out = new FieldSet();
        members.stream().filter(other.members::contains).forEach(out.members::add);
        children.forEach((element, child) -> {
            FieldSet theirs = other.children.get(element);
            if (theirs != null) {
                out.putIfNotEmpty(element, child.intersection(theirs));
            }
        });
        return out;
    }

    public FieldSet difference(FieldSet other) {
        FieldSet out = new FieldSet();
        members.stream().filter(m -> !other.members.contains(m)).forEach(out.members::add);
        children.forEach((element, child) -> {
            FieldSet theirs = other.children.get(element);
            out.putIfNotEmpty(element, theirs == null ? child : child.difference(theirs));
        });
        return out;
    }

    /** Like {@link #difference}, but a member of {@code other} also removes everything below it. */
    public FieldSet recursiveDifference(FieldSet other) {
        FieldSet out = new FieldSet();
        members.stream().filter(m -> !other.members.contains(m)).forEach(out.members::add);
        children.forEach((element, child) -> {
            if (other.members.contains(element)) {
                return;
            }
            FieldSet theirs = other.children.get(element);
            out.putIfNotEmpty(element, theirs == null ? child : child.recursiveDifference(theirs));
        });
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSet other && members.equals(other.members) && children.equals(other.children);
    }

    @Override
    public int hashCode() {
        return members.hashCode() * 31 + children.hashCode();
    }

    @Override
    public String toString() {
        return toFieldsV1().toString();
    }

    // Builder helpers for this package.

    boolean hasMember(PathElement element) {
        return members.contains(element);
    }

    /** The set under {@code element}; empty when there is none. */
    FieldSet child(PathElement element) {
        return children.getOrDefault(element, EMPTY);
    }

    void insertMember(PathElement element) {
        members.add(element);
    }

    /** The set under {@code element}, created for inserting. */
    FieldSet childForInsert(PathElement element) {
        return children.computeIfAbsent(element, e -> new FieldSet());
    }

    /** Drops levels left empty by a builder that created children it then did not fill. */
    FieldSet compact() {
        children.values().forEach(FieldSet::compact);
        children.values().removeIf(FieldSet::isEmpty);
        return this;
    }

    /**
     * Records {@code value}, found at {@code element} of this level, as ToFieldSet does: a leaf is a member, maps and
     * structs contribute their fields, associative lists their entries (each a member too).
     */
    void addValue(PathElement element, JsonNode value, Shape shape, boolean listEntry) {
        if (listEntry || shape.isLeaf(value)) {
            members.add(element);
        }
        if (shape.isLeaf(value)) {
            return;
        }
        FieldSet child = childForInsert(element);
        if (value.isObject()) {
            value.properties().forEach(e -> child.addValue(PathElement.field(e.getKey()), e.getValue(), shape.field(e.getKey()), false));
        } else {
            Shape entryShape = shape.element();
            shape.entries(value).forEach((entry, item) -> child.addValue(entry, item, entryShape, true));
        }
        if (child.isEmpty()) {
            children.remove(element);
        }
    }

    private FieldSet copy() {
        FieldSet out = new FieldSet();
        out.members.addAll(members);
        children.forEach((element, child) -> out.children.put(element, child.copy()));
        return out;
    }

    private void putIfNotEmpty(PathElement element, FieldSet child) {
        if (!child.isEmpty()) {
            children.put(element, child);
        }
    }

    private void collect(Path prefix, List<Path> out) {
        TreeSet<PathElement> elements = new TreeSet<>(members);
        elements.addAll(children.keySet());
        for (PathElement element : elements) {
            Path path = prefix.child(element);
            if (members.contains(element)) {
                out.add(path);
            }
            FieldSet child = children.get(element);
            if (child != null) {
                child.collect(path, out);
            }
        }
    }
}
