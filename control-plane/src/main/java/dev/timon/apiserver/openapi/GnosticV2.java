package dev.timon.apiserver.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Encodes a Swagger 2.0 document as gnostic's {@code openapi.v2.Document} protobuf, the only /openapi/v2 form
 * kubectl accepts. Field numbers are those of gnostic's OpenAPIv2.proto; only the messages and fields the
 * generated documents use are written. Vendor extensions become {@code NamedAny} holding their value as YAML.
 */
final class GnosticV2 {

    /**
     * Content type of the protobuf form in responses. Clients ask for it with an '@' before "v1.0", which Go's
     * MIME parser rejects in a Content-Type, so the response spells it with a '.' like upstream's newer servers.
     */
    static final String CONTENT_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    /** PathItem field numbers of the operations, by HTTP method. */
    private static final Map<String, Integer> METHODS =
            Map.of("get", 2, "put", 3, "post", 4, "delete", 5, "options", 6, "head", 7, "patch", 8);

    private GnosticV2() {
    }

    static byte[] encode(JsonNode swagger) {
        ProtoMessage document = new ProtoMessage().string(1, swagger.path("swagger").asText());
        document.message(2, new ProtoMessage()
                .string(1, swagger.path("info").path("title").asText())
                .string(2, swagger.path("info").path("version").asText()));
        ProtoMessage paths = new ProtoMessage();
        swagger.path("paths").properties().forEach(path ->
                paths.message(2, named(path.getKey(), pathItem(path.getValue()))));
        document.message(8, paths);
        ProtoMessage definitions = new ProtoMessage();
        swagger.path("definitions").properties().forEach(definition ->
                definitions.message(1, named(definition.getKey(), schema(definition.getValue()))));
        document.message(9, definitions);
        return document.toByteString().toByteArray();
    }

    private static ProtoMessage pathItem(JsonNode item) {
        ProtoMessage message = new ProtoMessage();
        item.properties().forEach(op -> message.message(METHODS.get(op.getKey()), operation(op.getValue())));
        return message;
    }

    private static ProtoMessage operation(JsonNode op) {
        ProtoMessage message = new ProtoMessage();
        op.path("tags").forEach(tag -> message.string(1, tag.asText()));
        message.string(5, op.path("operationId").asText());
        op.path("produces").forEach(type -> message.string(6, type.asText()));
        op.path("consumes").forEach(type -> message.string(7, type.asText()));
        op.path("parameters").forEach(parameter -> message.message(8, parametersItem(parameter)));
        ProtoMessage responses = new ProtoMessage();
        op.path("responses").properties().forEach(response -> responses.message(1, named(response.getKey(),
                new ProtoMessage().message(1, response(response.getValue())))));
        message.message(9, responses);
        op.path("schemes").forEach(scheme -> message.string(10, scheme.asText()));
        vendorExtensions(op, message, 13);
        return message;
    }

    /** ParametersItem { Parameter { BodyParameter | NonBodyParameter { Query... | Path... } } }. */
    private static ProtoMessage parametersItem(JsonNode p) {
        String in = p.path("in").asText();
        ProtoMessage parameter = new ProtoMessage();
        if (in.equals("body")) {
            parameter.message(1, new ProtoMessage().string(1, p.path("description").asText()).string(2, p.path("name").asText())
                    .string(3, in).bool(4, p.path("required").asBoolean()).message(5, schema(p.path("schema"))));
        } else {
            boolean query = in.equals("query");
            // The query and path sub-schemas share their first fields but number type and uniqueItems differently.
            ProtoMessage subSchema = new ProtoMessage().bool(1, p.path("required").asBoolean()).string(2, in)
                    .string(3, p.path("description").asText()).string(4, p.path("name").asText())
                    .string(query ? 6 : 5, p.path("type").asText())
                    .bool(query ? 20 : 19, p.path("uniqueItems").asBoolean());
            parameter.message(2, new ProtoMessage().message(query ? 3 : 4, subSchema));
        }
        return new ProtoMessage().message(1, parameter);
    }

    private static ProtoMessage response(JsonNode response) {
        ProtoMessage message = new ProtoMessage().string(1, response.path("description").asText());
        if (response.has("schema")) {
            message.message(2, new ProtoMessage().message(1, schema(response.path("schema"))));
        }
        return message;
    }

    private static ProtoMessage schema(JsonNode schema) {
        ProtoMessage message = new ProtoMessage()
                .string(1, schema.path("$ref").asText())
                .string(2, schema.path("format").asText())
                .string(4, schema.path("description").asText());
        schema.path("required").forEach(field -> message.string(19, field.asText()));
        JsonNode additional = schema.path("additionalProperties");
        if (additional.isObject()) {
            message.message(21, new ProtoMessage().message(1, schema(additional)));
        } else if (additional.isBoolean()) {
            message.message(21, new ProtoMessage().bool(2, additional.asBoolean()));
        }
        if (schema.has("type")) {
            message.message(22, new ProtoMessage().string(1, schema.path("type").asText()));
        }
        if (schema.has("items")) {
            message.message(23, new ProtoMessage().message(1, schema(schema.path("items"))));
        }
        schema.path("allOf").forEach(part -> message.message(24, schema(part)));
        if (schema.has("properties")) {
            ProtoMessage properties = new ProtoMessage();
            schema.path("properties").properties().forEach(property ->
                    properties.message(1, named(property.getKey(), schema(property.getValue()))));
            message.message(25, properties);
        }
        vendorExtensions(schema, message, 31);
        return message;
    }

    /** Every x- key of {@code node} as a NamedAny { name, Any { yaml } } in field {@code field}. */
    private static void vendorExtensions(JsonNode node, ProtoMessage message, int field) {
        node.properties().stream().filter(e -> e.getKey().startsWith("x-")).forEach(e ->
                message.message(field, named(e.getKey(), new ProtoMessage().string(2, yaml(e.getValue())))));
    }

    /** gnostic's Named* messages: a map entry as { name = 1, value = 2 }. */
    private static ProtoMessage named(String name, ProtoMessage value) {
        return new ProtoMessage().string(1, name).message(2, value);
    }

    private static String yaml(JsonNode value) {
        try {
            return YAML.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
