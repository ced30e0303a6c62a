package dev.timon.apimachinery;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the fields of a request body that its model type does not declare, for fieldValidation:
 * Strict rejects them, Warn reports them, Ignore drops them (decoding already does).
 */
public final class UnknownFields {

    private static final Map<JavaType, Map<String, JavaType>> PROPERTIES = new ConcurrentHashMap<>();

    private UnknownFields() {
    }

    /** Paths such as "spec.replica" or "spec.template.spec.containers[0].imagee", in document order. */
    public static List<String> find(JsonNode body, Class<?> type) {
        List<String> unknown = new ArrayList<>();
        walk(body, Json.MAPPER.constructType(type), "", unknown);
        return unknown;
    }

    private static void walk(JsonNode node, JavaType type, String path, List<String> unknown) {
        if (node == null || type == null) {
            return;
        }
        if (node.isArray() && (type.isCollectionLikeType() || type.isArrayType())) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), type.getContentType(), path + "[" + i + "]", unknown);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        if (type.isMapLikeType()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                walk(e.getValue(), type.getContentType(), join(path, e.getKey()), unknown);
            }
            return;
        }
        if (!isModel(type)) {
            return;
        }
        Map<String, JavaType> properties = properties(type);
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            JavaType propertyType = properties.get(e.getKey());
            if (propertyType == null) {
                unknown.add(join(path, e.getKey()));
            } else {
                walk(e.getValue(), propertyType, join(path, e.getKey()), unknown);
            }
        }
    }

    /** Only fabric8 model beans are checked; scalars with custom codecs (Quantity, IntOrString) are leaves. */
    private static boolean isModel(JavaType type) {
        String name = type.getRawClass().getName();
        return name.startsWith("io.fabric8.kubernetes.api.model.")
                && !name.endsWith(".Quantity") && !name.endsWith(".IntOrString")
                && !name.endsWith(".MicroTime") && !name.endsWith(".Duration") && !name.endsWith(".FieldsV1");
    }

    private static Map<String, JavaType> properties(JavaType type) {
        return PROPERTIES.computeIfAbsent(type, t -> {
            BeanDescription description = Json.MAPPER.getDeserializationConfig().introspect(t);
            Map<String, JavaType> properties = new ConcurrentHashMap<>();
            for (BeanPropertyDefinition p : description.findProperties()) {
                if (p.hasSetter() || p.hasField() || p.hasConstructorParameter()) {
                    properties.put(p.getName(), p.getPrimaryType());
                }
            }
            return properties;
        });
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
