package dev.timon.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What changed between two versions of an object, as field sets: leaves whose value differs, and fields or list
 * entries present on one side only (with everything below them).
 */
record Comparison(FieldSet modified, FieldSet added, FieldSet removed) {

    static Comparison of(ObjectNode before, ObjectNode after, Shape shape) {
        FieldSet modified = FieldSet.empty();
        FieldSet added = FieldSet.empty();
        FieldSet removed = FieldSet.empty();
        new Walk(modified, added, removed).fields(before, after, shape);
        return new Comparison(modified.compact(), added.compact(), removed.compact());
    }

    FieldSet changed() {
        return modified.union(added);
    }

    /** Walks both trees in step; each call works on the sets of one level. */
    private record Walk(FieldSet modified, FieldSet added, FieldSet removed) {

        private Walk below(PathElement element) {
            return new Walk(modified.childForInsert(element), added.childForInsert(element), removed.childForInsert(element));
        }

        void fields(JsonNode before, JsonNode after, Shape shape) {
            Set<String> names = new LinkedHashSet<>();
            before.fieldNames().forEachRemaining(names::add);
            after.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                value(PathElement.field(name), before.get(name), after.get(name), shape.field(name), false);
            }
        }

        private void value(PathElement element, JsonNode before, JsonNode after, Shape shape, boolean listEntry) {
            if (before == null || after == null) {
                (before == null ? added : removed).addValue(element, before == null ? after : before, shape, listEntry);
                return;
            }
            boolean leaf = shape.isLeaf(before) || shape.isLeaf(after) || before.getNodeType() != after.getNodeType();
            if (leaf) {
                if (!before.equals(after)) {
                    modified.insertMember(element);
                }
                return;
            }
            Walk below = below(element);
            if (before.isObject()) {
                below.fields(before, after, shape);
                return;
            }
            Map<PathElement, JsonNode> beforeEntries = shape.entries(before);
            Map<PathElement, JsonNode> afterEntries = shape.entries(after);
            Set<PathElement> entries = new LinkedHashSet<>(beforeEntries.keySet());
            entries.addAll(afterEntries.keySet());
            Shape entryShape = shape.element();
            for (PathElement entry : entries) {
                below.value(entry, beforeEntries.get(entry), afterEntries.get(entry), entryShape, true);
            }
        }
    }
}
