package dev.timon.apiserver.patch;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Java model type found at one point of a JSON document, used to look up strategic-merge metadata while the
 * patch is walked. fabric8 model classes name their Jackson properties exactly like the Kubernetes JSON fields, so
 * Jackson's bean introspection gives each field's type, including the element type of {@code List<Container>}.
 * Anything that is not a fabric8 model (free-form maps, unknown fields) is {@link #UNKNOWN}, which has no
 * strategies and therefore gets plain JSON-merge semantics. Public so that server-side apply walks objects with the
 * same type information.
 */
public final class TypeSchema {

    public static final TypeSchema UNKNOWN = new TypeSchema(null);

    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<Class<?>, Map<String, JavaType>> PROPERTIES = new ConcurrentHashMap<>();

    private final JavaType type;

    private TypeSchema(JavaType type) {
        this.type = type;
    }

    public static TypeSchema of(Class<?> modelType) {
        return modelType == null ? UNKNOWN : of(MAPPER.constructType(modelType));
    }

    private static TypeSchema of(JavaType type) {
        return type == null ? UNKNOWN : new TypeSchema(type);
    }

    /** The schema of the value of {@code field} when this is an object (model class or map). */
    public TypeSchema field(String field) {
        if (type == null) {
            return UNKNOWN;
        }
        if (type.isMapLikeType()) {
            return of(type.getContentType());
        }
        return isModel() ? of(properties(type.getRawClass()).get(field)) : UNKNOWN;
    }

    /** The schema of the elements when this is a list. */
    public TypeSchema element() {
        return type != null && type.isCollectionLikeType() ? of(type.getContentType()) : UNKNOWN;
    }

    /** The patch strategy of {@code field} when this is a model class. */
    public PatchMeta.Strategy strategy(String field) {
        return isModel() ? PatchMeta.of(type.getRawClass(), field) : PatchMeta.Strategy.NONE;
    }

    /** The fabric8 model class at this point; null for maps, lists, scalars and unknown values. */
    public Class<?> modelClass() {
        return isModel() ? type.getRawClass() : null;
    }

    private boolean isModel() {
        return type != null && !type.isContainerType() && type.getRawClass().getName().startsWith(MODEL_PACKAGE);
    }

    private static Map<String, JavaType> properties(Class<?> modelClass) {
        return PROPERTIES.computeIfAbsent(modelClass, c -> {
            Map<String, JavaType> byName = new HashMap<>();
            var description = MAPPER.getSerializationConfig().introspect(MAPPER.constructType(c));
            for (BeanPropertyDefinition property : description.findProperties()) {
                byName.put(property.getName(), property.getPrimaryType());
            }
            return byName;
        });
    }
}
