package dev.timon.apiserver.openapi;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apiserver.patch.PatchMeta;
import io.fabric8.kubernetes.api.model.IntOrString;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds upstream-shaped schemas for fabric8 model classes by Jackson bean introspection (the fabric8 classes name
 * their properties exactly like the Kubernetes JSON), documented by {@link UpstreamDocs}. One generator collects the
 * schemas of one document: every type reached from the ones added, keyed by upstream name, sorted.
 */
final class SchemaGenerator {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Dialect dialect;
    private final Map<String, ObjectNode> schemas = new TreeMap<>();

    SchemaGenerator(Dialect dialect) {
        this.dialect = dialect;
    }

    Map<String, ObjectNode> schemas() {
        return schemas;
    }

    /** Adds the schema of {@code modelClass} and of every type it reaches; returns its name. */
    String add(Class<?> modelClass) {
        String name = SchemaNames.of(modelClass);
        if (!schemas.containsKey(name)) {
            Optional<ObjectNode> fixed = FixedSchemas.of(name);
            ObjectNode schema = fixed.orElseGet(JSON::objectNode);
            // Registered before its properties are walked: model types may refer to themselves.
            schemas.put(name, schema);
            if (fixed.isEmpty()) {
                describeObject(schema, modelClass, name);
            }
        }
        return name;
    }

    /** Adds a schema that is no model class, such as the free-form Patch body. */
    String addFixed(String name) {
        schemas.computeIfAbsent(name, n -> FixedSchemas.of(n).orElseThrow());
        return name;
    }

    /** Adds a top-level kind's schema and tags it with the group/version/kind that objects of it carry. */
    void addKind(Class<?> modelClass, Gvk gvk) {
        ArrayNode gvks = schemas.get(add(modelClass)).withArrayProperty("x-kubernetes-group-version-kind");
        ObjectNode node = gvk.toJson();
        for (var existing : gvks) {
            if (existing.equals(node)) {
                return;
            }
        }
        gvks.add(node);
    }

    private void describeObject(ObjectNode schema, Class<?> modelClass, String name) {
        UpstreamDocs.TypeDoc doc = UpstreamDocs.of(name);
        if (!doc.description().isEmpty()) {
            schema.put("description", doc.description());
        }
        Map<String, ObjectNode> properties = new TreeMap<>();
        var bean = MAPPER.getSerializationConfig().introspect(MAPPER.constructType(modelClass));
        for (BeanPropertyDefinition property : bean.findProperties()) {
            String field = property.getName();
            Optional<UpstreamDocs.FieldDoc> fieldDoc = doc.field(field);
            JavaType type = property.getPrimaryType();
            ObjectNode extras = JSON.objectNode();
            fieldDoc.map(UpstreamDocs.FieldDoc::description).filter(d -> !d.isEmpty())
                    .or(() -> referencedTypeDescription(type))
                    .ifPresent(d -> extras.put("description", d));
            if (type.isCollectionLikeType()) {
                addListExtensions(extras, PatchMeta.of(modelClass, field));
            } else {
                addPatchStrategy(extras, PatchMeta.of(modelClass, field));
            }
            properties.put(field, propertySchema(type, fieldDoc.map(UpstreamDocs.FieldDoc::javaType).orElse(null), extras));
        }
        if (!properties.isEmpty()) {
            schema.putObject("properties").setAll(properties);
            ArrayNode required = JSON.arrayNode();
            doc.required().stream().filter(properties::containsKey).sorted().forEach(required::add);
            if (!required.isEmpty()) {
                schema.set("required", required);
            }
        }
        schema.put("type", "object");
    }

    /**
     * client-java-api's generator drops the description of every field whose type is another model (upstream wraps
     * those in allOf), so such a field is described by its type's description instead.
     */
    private static Optional<String> referencedTypeDescription(JavaType type) {
        if (type.isContainerType() || !SchemaNames.isModel(type.getRawClass())) {
            return Optional.empty();
        }
        return Optional.of(UpstreamDocs.of(SchemaNames.of(type.getRawClass())).description()).filter(d -> !d.isEmpty());
    }

    /**
     * The schema of a value of {@code type} with {@code extras} (description, extensions) beside it. fabric8 types
     * timestamps and base64 data as plain strings; {@code upstream}, client-java-api's type of the same value (null
     * when unknown), tells when they are a meta/v1 Time or bytes.
     */
    private ObjectNode propertySchema(JavaType type, Type upstream, ObjectNode extras) {
        Class<?> raw = type.getRawClass();
        if (raw == String.class && upstream == OffsetDateTime.class) {
            return dialect.refWith(addFixed(SchemaNames.TIME), extras);
        }
        if (raw == IntOrString.class) {
            // Upstream types it as a string of format int-or-string; the extension states that both are accepted.
            extras.put("x-kubernetes-int-or-string", true);
        }
        if (!type.isContainerType() && SchemaNames.isModel(raw)) {
            return dialect.refWith(add(raw), extras);
        }
        ObjectNode schema = inlineSchema(type, upstream);
        schema.setAll(extras);
        return schema;
    }

    private ObjectNode inlineSchema(JavaType type, Type upstream) {
        ObjectNode schema = JSON.objectNode();
        if (type.isCollectionLikeType() || type.isArrayType()) {
            schema.put("type", "array")
                    .set("items", propertySchema(type.getContentType(), lastTypeArgument(upstream), JSON.objectNode()));
        } else if (type.isMapLikeType()) {
            schema.put("type", "object").set("additionalProperties",
                    propertySchema(type.getContentType(), lastTypeArgument(upstream), JSON.objectNode()));
        } else {
            Class<?> raw = type.getRawClass();
            if (raw == String.class && upstream == byte[].class) {
                schema.put("type", "string").put("format", "byte");
            } else if (raw == String.class || raw == char.class || raw == Character.class) {
                schema.put("type", "string");
            } else if (raw == Integer.class || raw == int.class) {
                schema.put("type", "integer").put("format", "int32");
            } else if (raw == Long.class || raw == long.class) {
                schema.put("type", "integer").put("format", "int64");
            } else if (raw == Boolean.class || raw == boolean.class) {
                schema.put("type", "boolean");
            } else if (raw == Double.class || raw == double.class || raw == Float.class || raw == float.class) {
                schema.put("type", "number").put("format", "double");
            } else {
                // Free-form JSON (runtime.RawExtension and the like).
                schema.put("type", "object");
            }
        }
        return schema;
    }

    /** The element type of an upstream List or the value type of an upstream Map, when known. */
    private static Type lastTypeArgument(Type upstream) {
        if (upstream instanceof ParameterizedType generic) {
            Type[] arguments = generic.getActualTypeArguments();
            return arguments[arguments.length - 1];
        }
        return null;
    }

    /** Strategic-merge tags and the matching list type: merged lists are maps by their key, or sets. */
    private static void addListExtensions(ObjectNode extras, PatchMeta.Strategy strategy) {
        if (strategy.merge()) {
            if (strategy.mergeKey().isEmpty()) {
                extras.put("x-kubernetes-list-type", "set");
            } else {
                extras.put("x-kubernetes-list-type", "map");
                extras.putArray("x-kubernetes-list-map-keys").add(strategy.mergeKey());
                extras.put("x-kubernetes-patch-merge-key", strategy.mergeKey());
            }
        }
        addPatchStrategy(extras, strategy);
    }

    private static void addPatchStrategy(ObjectNode extras, PatchMeta.Strategy strategy) {
        String value = strategy.merge() && strategy.retainKeys() ? "merge,retainKeys"
                : strategy.merge() ? "merge" : strategy.retainKeys() ? "retainKeys" : null;
        if (value != null) {
            extras.put("x-kubernetes-patch-strategy", value);
        }
    }
}
