package dev.timon.apiserver.openapi;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Optional;

/**
 * Schemas of the apimachinery types whose JSON form is not their Java structure (they serialize as one string or
 * number) and of the free-form patch body. client-java-api has no documented model for these, so the descriptions
 * are the project's own.
 */
final class FixedSchemas {

    private static final Map<String, ObjectNode> SCHEMAS = Map.of(
            SchemaNames.QUANTITY, string("A fixed-point number with an optional SI or binary suffix, "
                    + "such as 100m, 0.5, 2Gi or 1e3.", null),
            SchemaNames.INT_OR_STRING, string("Either an integer or a string, e.g. a port number or a port name.",
                    "int-or-string").put("x-kubernetes-int-or-string", true),
            SchemaNames.TIME, string("A timestamp in RFC 3339 form, with second precision.", "date-time"),
            SchemaNames.MICRO_TIME, string("A timestamp in RFC 3339 form, with microsecond precision.", "date-time"),
            SchemaNames.PATCH, JsonNodeFactory.instance.objectNode()
                    .put("description", "A patch document; its format is given by the request's Content-Type.")
                    .put("type", "object"));

    private FixedSchemas() {
    }

    /** A fresh copy of the fixed schema named {@code name}, if it is one. */
    static Optional<ObjectNode> of(String name) {
        return Optional.ofNullable(SCHEMAS.get(name)).map(ObjectNode::deepCopy);
    }

    private static ObjectNode string(String description, String format) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode().put("description", description);
        if (format != null) {
            schema.put("format", format);
        }
        return schema.put("type", "string");
    }
}
