package dev.timon.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apimachinery.Json;
import dev.timon.apiserver.patch.PatchMeta;
import dev.timon.apiserver.patch.TypeSchema;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.TopologySelectorTerm;
import io.fabric8.kubernetes.api.model.TypedLocalObjectReference;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What server-side apply needs to know about one position of an object: whether the value there is a leaf owned as
 * a whole (scalars, atomic structs, maps and lists, empty values), and how list entries are identified.
 *
 * <p>The list merge keys come from {@link PatchMeta} (upstream derives SSA list types from the same
 * patchMergeKey tags when no listType is given); the few places where SSA differs from strategic merge are listed
 * here: lists keyed by several fields ({@code +listMapKey}, with key defaults) and {@code +structType=atomic} /
 * {@code +mapType=atomic} types. Anything without a model type has granular maps and atomic lists.
 */
final class Shape {

    /** How the entries of a list are told apart. */
    enum ListType { ATOMIC, SET, MAP }

    /** A key field of an associative list; {@code fallback} stands in when an entry omits it (null: required). */
    record KeyField(String name, JsonNode fallback) {
    }

    private static final JsonNode TCP = Json.MAPPER.getNodeFactory().textNode("TCP");

    /** Lists keyed by more than their strategic merge key, as {@code +listMapKey} lists them. */
    private static final Map<Class<?>, Map<String, List<KeyField>>> MULTI_KEYS = Map.of(
            Container.class, Map.of("ports", List.of(new KeyField("containerPort", null), new KeyField("protocol", TCP))),
            EphemeralContainer.class, Map.of("ports", List.of(new KeyField("containerPort", null), new KeyField("protocol", TCP))),
            ServiceSpec.class, Map.of("ports", List.of(new KeyField("port", null), new KeyField("protocol", TCP))),
            PodSpec.class, Map.of("topologySpreadConstraints",
                    List.of(new KeyField("topologyKey", null), new KeyField("whenUnsatisfiable", null))));

    /** {@code +structType=atomic} types: always owned and replaced as a whole. */
    private static final Set<Class<?>> ATOMIC_STRUCTS = Set.of(LabelSelector.class, LocalObjectReference.class,
            ObjectReference.class, OwnerReference.class, NodeSelector.class, NodeSelectorTerm.class,
            TopologySelectorTerm.class, ConfigMapKeySelector.class, SecretKeySelector.class, ObjectFieldSelector.class,
            ResourceFieldSelector.class, TypedLocalObjectReference.class);

    /** {@code +mapType=atomic} fields. */
    private static final Map<Class<?>, Set<String>> ATOMIC_MAPS = Map.of(
            PodSpec.class, Set.of("nodeSelector"),
            ServiceSpec.class, Set.of("selector"));

    private final TypeSchema type;
    private final ListType listType;
    private final List<KeyField> keys;
    private final boolean atomic;

    private Shape(TypeSchema type, ListType listType, List<KeyField> keys, boolean atomic) {
        this.type = type;
        this.listType = listType;
        this.keys = keys;
        this.atomic = atomic;
    }

    static Shape of(Class<?> modelType) {
        return new Shape(TypeSchema.of(modelType), ListType.ATOMIC, List.of(), false);
    }

    /** The shape of {@code name} inside this map or struct. */
    Shape field(String name) {
        TypeSchema fieldType = type.field(name);
        Class<?> owner = type.modelClass();
        List<KeyField> multiKeys = owner == null ? null : MULTI_KEYS.getOrDefault(owner, Map.of()).get(name);
        PatchMeta.Strategy strategy = type.strategy(name);
        ListType list = !strategy.merge() ? ListType.ATOMIC : strategy.mergeKey().isEmpty() ? ListType.SET : ListType.MAP;
        List<KeyField> keys = multiKeys != null ? multiKeys
                : list == ListType.MAP ? List.of(new KeyField(strategy.mergeKey(), null)) : List.of();
        boolean atomicMap = owner != null && ATOMIC_MAPS.getOrDefault(owner, Set.of()).contains(name);
        return new Shape(fieldType, list, keys, atomicMap || isAtomicStruct(fieldType));
    }

    /** The shape of the entries when this is a list. */
    Shape element() {
        TypeSchema elementType = type.element();
        return new Shape(elementType, ListType.ATOMIC, List.of(), isAtomicStruct(elementType));
    }

    private static boolean isAtomicStruct(TypeSchema type) {
        return type.modelClass() != null && ATOMIC_STRUCTS.contains(type.modelClass());
    }

    /** Owned as one field: scalars, atomic values, empty maps and lists (upstream keeps empty apart from absent). */
    boolean isLeaf(JsonNode value) {
        if (!value.isContainerNode() || value.isEmpty()) {
            return true;
        }
        return value.isObject() ? atomic : atomic || listType == ListType.ATOMIC;
    }

    /** The entries of this associative list by their path element; of duplicates, the first is kept. */
    Map<PathElement, JsonNode> entries(JsonNode list) {
        Map<PathElement, JsonNode> byElement = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            byElement.putIfAbsent(entry(list.get(i), i), list.get(i));
        }
        return byElement;
    }

    /** The path element of entry {@code index} of this (associative) list. */
    PathElement entry(JsonNode item, int index) {
        if (listType == ListType.SET) {
            return PathElement.value(item);
        }
        if (!item.isObject()) {
            throw ApplyErrors.invalid("element " + index + ": associative list with keys has an element that is not a map");
        }
        ObjectNode key = Json.MAPPER.createObjectNode();
        for (KeyField field : keys) {
            JsonNode value = item.get(field.name());
            if (value == null || value.isNull()) {
                value = field.fallback();
            }
            if (value == null) {
                throw ApplyErrors.invalid("element " + index + ": associative list with keys has an element that omits key field \""
                        + field.name() + "\" (and doesn't have default value)");
            }
            key.set(field.name(), value);
        }
        return PathElement.key(key);
    }
}
