package dev.timon.apimachinery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The one JSON codec: the same mapper reads request bodies, writes responses and encodes what etcd stores. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            // MicroTime fields (Lease renewTime, events.k8s.io eventTime) are ZonedDateTime in the fabric8 model.
            .registerModule(new JavaTimeModule())
            // Getters and setters through generated lambdas instead of reflection: the fabric8 model is all beans.
            .registerModule(new BlackbirdModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Rejects duplicate keys, as upstream's strict decoding does. */
    private static final ObjectMapper STRICT_READER = MAPPER.copy()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Json() {
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String string(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T convert(JsonNode tree, Class<T> type) {
        return MAPPER.convertValue(tree, type);
    }

    public static <T> T convert(JsonNode tree, JavaType type) {
        return MAPPER.convertValue(tree, type);
    }

    /** Parses a request body; a field given twice keeps its last value, as Go's decoder does. */
    public static JsonNode parse(byte[] body) throws IOException {
        return MAPPER.readTree(body);
    }

    /** The first field a JSON body gives twice, or null: what strict field validation rejects. */
    public static String firstDuplicateField(byte[] body) {
        try {
            STRICT_READER.readTree(body);
            return null;
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            int open = message.indexOf('\'');
            int close = open < 0 ? -1 : message.indexOf('\'', open + 1);
            return message.startsWith("Duplicate field") && close > open ? message.substring(open + 1, close) : null;
        }
    }

    public static JsonNode parseYaml(byte[] body) throws IOException {
        return MAPPER.valueToTree(YAML.readValue(body, Object.class));
    }

    /** A deep copy through the codec, so cached objects stay untouched while a handler edits its own. */
    @SuppressWarnings("unchecked")
    public static <T> T copy(T value) {
        return (T) convert(tree(value), value.getClass());
    }
}
