package dev.timon.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes strategic merge patch ({@code application/strategic-merge-patch+json}) as the API server applies it.
 *
 * <p>The patch is walked together with the original and the fabric8 model type: maps merge key by key (null
 * deletes), lists tagged "merge" in {@link PatchMeta} merge entries by their merge key (primitive lists form a
 * union), other lists are replaced. Directives: {@code $patch: replace|merge|delete} on maps and list entries,
 * {@code $retainKeys}, {@code $deleteFromPrimitiveList/<field>} and {@code $setElementOrder/<field>}.
 *
 * <p>Differences from upstream, on purpose: a patch value for a field the original lacks is still processed
 * (directives stripped, nulls dropped) instead of being copied verbatim, and {@code $patch: merge} is accepted as
 * the explicit default rather than rejected.
 */
public final class StrategicMergePatch {

    static final String PATCH = "$patch";
    static final String RETAIN_KEYS = "$retainKeys";
    static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";
    static final String SET_ELEMENT_ORDER = "$setElementOrder/";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StrategicMergePatch() {
    }

    /**
     * @param original  the stored object (not mutated); null is treated as {}
     * @param patch     the patch document (not mutated); must be a JSON object
     * @param modelType the fabric8 model class of the object, e.g. {@code Deployment.class}; null for free-form
     * @return the patched object, a new tree
     */
    public static JsonNode apply(JsonNode original, JsonNode patch, Class<?> modelType) {
        if (patch == null || !patch.isObject()) {
            throw PatchException.badRequest("strategic merge patch must be a JSON object");
        }
        ObjectNode target = original != null && original.isObject() ? ((ObjectNode) original).deepCopy() : NODES.objectNode();
        return mergeObject(target, ((ObjectNode) patch).deepCopy(), TypeSchema.of(modelType));
    }

    /** Merges {@code patch} into {@code original}; both are private copies and may be changed. */
    private static ObjectNode mergeObject(ObjectNode original, ObjectNode patch, TypeSchema schema) {
        JsonNode directive = patch.remove(PATCH);
        if (directive != null) {
            switch (directive.asText()) {
                case "replace" -> {
                    return mergeObject(NODES.objectNode(), patch, schema);
                }
                case "delete" -> {
                    return NODES.objectNode();
                }
                case "merge" -> { }
                default -> throw PatchException.invalid("unknown patch type: " + directive + " in map: " + patch);
            }
        }
        applyRetainKeys(original, patch);
        applySetElementOrder(original, patch, schema);
        for (Map.Entry<String, JsonNode> entry : List.copyOf(patch.properties())) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                deleteFromPrimitiveList(original, fieldOf(key, DELETE_FROM_PRIMITIVE_LIST), value);
            } else if (value.isNull()) {
                original.remove(key);
            } else {
                original.set(key, mergeValue(original.get(key), value, schema.field(key), schema.strategy(key)));
            }
        }
        return original;
    }

    private static JsonNode mergeValue(JsonNode original, JsonNode patch, TypeSchema schema, PatchMeta.Strategy strategy) {
        if (patch.isObject()) {
            ObjectNode base = original != null && original.isObject() ? (ObjectNode) original : NODES.objectNode();
            return mergeObject(base, (ObjectNode) patch, schema);
        }
        if (patch.isArray()) {
            ArrayNode base = original != null && original.isArray() ? (ArrayNode) original : NODES.arrayNode();
            return mergeList(base, (ArrayNode) patch, schema, strategy);
        }
        return patch;
    }

    private static ArrayNode mergeList(ArrayNode original, ArrayNode patch, TypeSchema schema, PatchMeta.Strategy strategy) {
        if (!strategy.merge()) {
            return patch;
        }
        if (original.isEmpty() && patch.isEmpty()) {
            return original;
        }
        List<JsonNode> server = elements(original);
        List<JsonNode> patchEntries = elements(patch);
        boolean objects = elementsAreObjects(server, patchEntries);
        if (!objects) {
            Set<JsonNode> union = new LinkedHashSet<>(server);
            union.addAll(patchEntries);
            return toArray(new ElementOrder("").apply(new ArrayList<>(union), patchEntries, server));
        }
        String mergeKey = strategy.mergeKey();
        if (mergeKey.isEmpty()) {
            throw PatchException.invalid("cannot merge lists without merge key for " + patch);
        }
        List<JsonNode> plainEntries = new ArrayList<>();
        for (JsonNode entry : patchEntries) {
            String directive = entry.path(PATCH).asText(null);
            if (directive == null || directive.equals("merge")) {
                plainEntries.add(entry);
            } else if (directive.equals("delete")) {
                JsonNode id = requireMergeKey(entry, mergeKey);
                server.removeIf(s -> id.equals(s.get(mergeKey)));
            } else if (directive.equals("replace")) {
                // The list is replaced by the patch's other entries.
                server.clear();
            } else {
                throw PatchException.invalid("unknown patch type: " + directive + " in map: " + entry);
            }
        }
        List<JsonNode> merged = new ArrayList<>(server);
        TypeSchema elementSchema = schema.element();
        for (JsonNode entry : plainEntries) {
            JsonNode id = requireMergeKey(entry, mergeKey);
            int index = indexByKey(merged, mergeKey, id);
            ObjectNode base = index >= 0 ? (ObjectNode) merged.get(index) : NODES.objectNode();
            ObjectNode result = mergeObject(base, (ObjectNode) entry, elementSchema);
            if (index >= 0) {
                merged.set(index, result);
            } else {
                merged.add(result);
            }
        }
        return toArray(new ElementOrder(mergeKey).apply(merged, plainEntries, server));
    }

    /** {@code $retainKeys: [...]}: fields of the original not listed are cleared before merging. */
    private static void applyRetainKeys(ObjectNode original, ObjectNode patch) {
        JsonNode retain = patch.remove(RETAIN_KEYS);
        if (retain == null) {
            return;
        }
        if (!retain.isArray()) {
            throw PatchException.invalid("invalid patch format of retainKeys");
        }
        Set<String> kept = new HashSet<>();
        retain.forEach(k -> kept.add(k.asText()));
        for (Map.Entry<String, JsonNode> entry : patch.properties()) {
            String key = entry.getKey();
            boolean directive = key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER);
            if (!entry.getValue().isNull() && !directive && !kept.contains(key)) {
                throw PatchException.invalid("invalid patch format of retainKeys");
            }
        }
        original.retain(kept);
    }

    /**
     * {@code $setElementOrder/<field>: [...]} lists every entry the client wants, in order; the field's patch list
     * (if any) is merged here and the result ordered by it, server-only entries interleaved by their old position.
     */
    private static void applySetElementOrder(ObjectNode original, ObjectNode patch, TypeSchema schema) {
        for (String key : fieldNames(patch)) {
            if (!key.startsWith(SET_ELEMENT_ORDER)) {
                continue;
            }
            JsonNode order = patch.remove(key);
            String field = fieldOf(key, SET_ELEMENT_ORDER);
            if (!order.isArray()) {
                throw PatchException.invalid("invalid patch format of setElementOrder list");
            }
            JsonNode originalList = original.get(field);
            JsonNode patchList = patch.get(field);
            boolean inOriginal = originalList != null && originalList.isArray();
            boolean inPatch = patchList != null && patchList.isArray();
            if (!inOriginal && !inPatch) {
                continue;
            }
            PatchMeta.Strategy strategy = schema.strategy(field);
            ArrayNode merged = inPatch
                    ? mergeList(inOriginal ? (ArrayNode) originalList : NODES.arrayNode(), (ArrayNode) patchList, schema.field(field), strategy)
                    : (ArrayNode) originalList;
            List<JsonNode> server = inOriginal ? elements((ArrayNode) originalList) : List.of();
            original.set(field, toArray(new ElementOrder(strategy.mergeKey()).apply(elements(merged), elements((ArrayNode) order), server)));
            patch.remove(field);
        }
    }

    private static void deleteFromPrimitiveList(ObjectNode original, String field, JsonNode toDelete) {
        if (!toDelete.isArray()) {
            throw PatchException.invalid("invalid patch format of primitive list");
        }
        JsonNode list = original.get(field);
        if (list == null || !list.isArray()) {
            return;
        }
        Set<JsonNode> removed = new HashSet<>(elements((ArrayNode) toDelete));
        List<JsonNode> kept = elements((ArrayNode) list);
        kept.removeIf(removed::contains);
        original.set(field, toArray(kept));
    }

    private static String fieldOf(String directiveKey, String prefix) {
        String field = directiveKey.substring(prefix.length());
        if (field.isEmpty()) {
            throw PatchException.invalid("invalid patch directive " + directiveKey + ": no field name");
        }
        return field;
    }

    private static boolean elementsAreObjects(List<JsonNode> server, List<JsonNode> patch) {
        Boolean objects = null;
        for (List<JsonNode> list : List.of(server, patch)) {
            for (JsonNode element : list) {
                if (element.isArray()) {
                    throw PatchException.invalid("lists of lists are not supported");
                }
                if (objects != null && objects != element.isObject()) {
                    throw PatchException.invalid("list element types are not identical: " + server + ", " + patch);
                }
                objects = element.isObject();
            }
        }
        return Boolean.TRUE.equals(objects);
    }

    private static JsonNode requireMergeKey(JsonNode entry, String mergeKey) {
        JsonNode id = entry.get(mergeKey);
        if (id == null) {
            throw PatchException.invalid("map: " + entry + " does not contain declared merge key: " + mergeKey);
        }
        return id;
    }

    private static int indexByKey(List<JsonNode> list, String mergeKey, JsonNode id) {
        for (int i = 0; i < list.size(); i++) {
            if (id.equals(list.get(i).get(mergeKey))) {
                return i;
            }
        }
        return -1;
    }

    private static List<JsonNode> elements(ArrayNode array) {
        List<JsonNode> list = new ArrayList<>(array.size());
        array.forEach(list::add);
        return list;
    }

    private static List<String> fieldNames(ObjectNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static ArrayNode toArray(List<JsonNode> list) {
        return NODES.arrayNode(list.size()).addAll(list);
    }
}
