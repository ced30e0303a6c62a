package dev.timon.apiserver.openapi;

import com.google.gson.annotations.SerializedName;
import io.swagger.annotations.ApiModel;
import io.swagger.annotations.ApiModelProperty;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's documentation of a schema, read at run time from the official Java client's model classes
 * (io.kubernetes:client-java-api): their swagger annotations carry every type's and field's description and their
 * {@code openapiRequiredFields} the required fields, so no upstream text is copied into this project.
 */
final class UpstreamDocs {

    private static final String MODELS = "io.kubernetes.client.openapi.models.";

    /** What client-java-api knows about one field, by its JSON name. */
    record FieldDoc(String description, Type javaType) {
    }

    /** What client-java-api knows about one type; {@link #NONE} when it has no class for it. */
    record TypeDoc(String description, Map<String, FieldDoc> fields, Set<String> required) {
        static final TypeDoc NONE = new TypeDoc("", Map.of(), Set.of());

        Optional<FieldDoc> field(String jsonName) {
            return Optional.ofNullable(fields.get(jsonName));
        }
    }

    private static final Map<String, TypeDoc> CACHE = new ConcurrentHashMap<>();

    private UpstreamDocs() {
    }

    /** The documentation of the upstream schema {@code schemaName}, e.g. io.k8s.api.apps.v1.DeploymentSpec. */
    static TypeDoc of(String schemaName) {
        return CACHE.computeIfAbsent(schemaName, n -> candidateClasses(n).stream()
                .map(UpstreamDocs::load).flatMap(Optional::stream).findFirst()
                .map(UpstreamDocs::read).orElse(TypeDoc.NONE));
    }

    /**
     * client-java-api names a type V1DeploymentSpec, or, when two groups share a type name, with the group too
     * (CoreV1EndpointPort, DiscoveryV1EndpointPort): try the qualified name first.
     */
    private static Collection<String> candidateClasses(String schemaName) {
        String[] parts = schemaName.split("\\.");
        String name = parts[parts.length - 1];
        String version = capitalize(parts[parts.length - 2]);
        if (schemaName.startsWith("io.k8s.api.")) {
            String group = capitalize(parts[parts.length - 3]);
            return List.of(MODELS + group + version + name, MODELS + version + name);
        }
        if (schemaName.startsWith(SchemaNames.META_V1)) {
            return List.of(MODELS + version + name);
        }
        return List.of();
    }

    private static Optional<Class<?>> load(String className) {
        try {
            return Optional.of(Class.forName(className, false, UpstreamDocs.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
    }

    private static TypeDoc read(Class<?> model) {
        ApiModel type = model.getAnnotation(ApiModel.class);
        Map<String, FieldDoc> fields = new HashMap<>();
        for (Field field : model.getDeclaredFields()) {
            SerializedName json = field.getAnnotation(SerializedName.class);
            if (json != null) {
                fields.put(json.value(), new FieldDoc(fieldDescription(model, field), field.getGenericType()));
            }
        }
        return new TypeDoc(type == null ? "" : type.description(), fields, requiredFields(model));
    }

    /** The generator annotates getters, named after the Java field (which has a leading '_' for Java keywords). */
    private static String fieldDescription(Class<?> model, Field field) {
        String property = capitalize(field.getName().replaceFirst("^_", ""));
        for (String getter : new String[] {"get" + property, "is" + property}) {
            try {
                Method method = model.getMethod(getter);
                ApiModelProperty doc = method.getAnnotation(ApiModelProperty.class);
                if (doc != null) {
                    return doc.value();
                }
            } catch (NoSuchMethodException e) {
                // try the next getter naming convention
            }
        }
        return "";
    }

    @SuppressWarnings("unchecked")
    private static Set<String> requiredFields(Class<?> model) {
        try {
            return Set.copyOf((Collection<String>) model.getField("openapiRequiredFields").get(null));
        } catch (ReflectiveOperationException e) {
            return Set.of();
        }
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
