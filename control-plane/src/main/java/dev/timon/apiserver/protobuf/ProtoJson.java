package dev.timon.apiserver.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;

/**
 * Converts a k8s.io generated.proto message to the Kubernetes JSON form by walking its descriptor. Field names in
 * generated.proto are the JSON names. Not protobuf's JsonFormat: Kubernetes renders its apimachinery types (Time,
 * IntOrString, Quantity, ...) as strings or numbers, and presence follows proto2: unset fields stay absent.
 *
 * <p>Go writes every non-pointer field, so an empty string, a zero number, false or a zero Time on the wire
 * usually means "unset": they are dropped, as Go's JSON encoding drops them ({@code omitempty}). Fields that are
 * pointers in Go (replicas, runAsUser, ...) are only on the wire when set, so their zeros are real values and kept.
 */
final class ProtoJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC3339_MICRO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private ProtoJson() {
    }

    /** The JSON of {@code message}; null when the message is a special type holding its zero value. */
    static JsonNode toJson(Message message) {
        return switch (message.getDescriptorForType().getFullName()) {
            case META + "Time" -> time(message, RFC3339);
            case META + "MicroTime" -> time(message, RFC3339_MICRO);
            case META + "Duration" -> NODES.textNode(GoDuration.format((Long) field(message, "duration")));
            case META + "FieldsV1" -> rawJson((ByteString) field(message, "Raw"));
            case "k8s.io.apimachinery.pkg.runtime.RawExtension" -> rawJson((ByteString) field(message, "raw"));
            case "k8s.io.apimachinery.pkg.api.resource.Quantity" -> NODES.textNode((String) field(message, "string"));
            case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> (Long) field(message, "type") == 1
                    ? NODES.textNode((String) field(message, "strVal"))
                    : NODES.numberNode((Integer) field(message, "intVal"));
            default -> object(message);
        };
    }

    private static ObjectNode object(Message message) {
        ObjectNode json = NODES.objectNode();
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            JsonNode value;
            if (field.isMapField()) {
                value = message.getRepeatedFieldCount(field) == 0 ? null : map(message, field);
            } else if (field.isRepeated()) {
                value = message.getRepeatedFieldCount(field) == 0 ? null : array(message, field);
            } else if (message.hasField(field)) {
                value = singular(field, message.getField(field));
            } else {
                value = null;
            }
            if (value != null) {
                json.set(field.getName(), value);
            }
        }
        return json;
    }

    private static JsonNode singular(FieldDescriptor field, Object value) {
        if (value instanceof String text && text.isEmpty()) {
            return null;
        }
        boolean zero = value instanceof Boolean b && !b || value instanceof Number n && n.longValue() == 0;
        if (zero && !GoPointerFields.NAMES.contains(field.getName())) {
            return null;
        }
        return value(field, value);
    }

    private static ObjectNode map(Message message, FieldDescriptor field) {
        ObjectNode json = NODES.objectNode();
        FieldDescriptor key = field.getMessageType().findFieldByName("key");
        FieldDescriptor val = field.getMessageType().findFieldByName("value");
        for (Object entry : (List<?>) message.getField(field)) {
            Message e = (Message) entry;
            json.set(String.valueOf(e.getField(key)), value(val, e.getField(val)));
        }
        return json;
    }

    private static ArrayNode array(Message message, FieldDescriptor field) {
        ArrayNode json = NODES.arrayNode();
        for (Object element : (List<?>) message.getField(field)) {
            json.add(value(field, element));
        }
        return json;
    }

    private static JsonNode value(FieldDescriptor field, Object value) {
        return switch (field.getJavaType()) {
            case STRING -> NODES.textNode((String) value);
            case INT -> NODES.numberNode((Integer) value);
            case LONG -> integer((Long) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case FLOAT -> NODES.numberNode((Float) value);
            case DOUBLE -> NODES.numberNode((Double) value);
            case BYTE_STRING -> NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            case ENUM -> NODES.textNode(value.toString());
            case MESSAGE -> toJson((Message) value);
        };
    }

    /** Small int64 values become int nodes, as a JSON parser would produce, so decoded trees compare equal. */
    private static JsonNode integer(long value) {
        return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }

    private static JsonNode time(Message message, DateTimeFormatter format) {
        long seconds = (Long) field(message, "seconds");
        int nanos = (Integer) field(message, "nanos");
        if (seconds == 0 && nanos == 0) {
            return null;
        }
        return NODES.textNode(format.format(Instant.ofEpochSecond(seconds, nanos)));
    }

    private static JsonNode rawJson(ByteString raw) {
        if (raw.isEmpty()) {
            return null;
        }
        try {
            return MAPPER.readTree(raw.toByteArray());
        } catch (IOException e) {
            throw new ProtobufDecodeException("embedded raw object is not JSON: " + e.getMessage(), e);
        }
    }

    private static Object field(Message message, String name) {
        return message.getField(message.getDescriptorForType().findFieldByName(name));
    }
}
