package dev.timon.apiserver.openapi;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Where the two OpenAPI versions differ in writing a schema reference. */
enum Dialect {
    /** Swagger 2.0: refs point into #/definitions and may carry sibling keywords. */
    V2("#/definitions/"),
    /** OpenAPI 3.0: refs point into #/components/schemas and ignore siblings, so upstream wraps them in allOf. */
    V3("#/components/schemas/");

    private final String refPrefix;

    Dialect(String refPrefix) {
        this.refPrefix = refPrefix;
    }

    ObjectNode ref(String schemaName) {
        return JsonNodeFactory.instance.objectNode().put("$ref", refPrefix + schemaName);
    }

    /**
     * A reference that is to carry a description or extensions next to it: {@code extras} plus the ref (v2), or
     * {@code extras} plus {@code allOf: [ref]} (v3).
     */
    ObjectNode refWith(String schemaName, ObjectNode extras) {
        if (extras.isEmpty()) {
            return ref(schemaName);
        }
        ObjectNode node = extras.deepCopy();
        if (this == V3) {
            node.putArray("allOf").add(ref(schemaName));
        } else {
            node.setAll(ref(schemaName));
        }
        return node;
    }
}
