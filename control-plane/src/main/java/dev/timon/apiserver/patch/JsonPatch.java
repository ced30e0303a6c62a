package dev.timon.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import io.fabric8.zjsonpatch.JsonPatchException;

import java.util.Set;

/**
 * RFC 6902 JSON patch ({@code application/json-patch+json}), applied with fabric8's zjsonpatch one operation at a
 * time so that a failure names the operation. Inputs are not mutated.
 */
public final class JsonPatch {

    private static final Set<String> OPERATIONS = Set.of("add", "remove", "replace", "move", "copy", "test");

    private JsonPatch() {
    }

    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (patch == null || !patch.isArray()) {
            throw PatchException.badRequest("json patch must be a JSON array of operations");
        }
        JsonNode document = target == null ? NullNode.getInstance() : target;
        for (JsonNode operation : patch) {
            String op = validate(operation);
            String path = operation.get("path").asText();
            // zjsonpatch silently ignores removing a missing object field; RFC 6902 (and upstream) make it an error.
            if ((op.equals("remove") || op.equals("replace")) && document.at(path).isMissingNode()) {
                throw PatchException.invalid("json patch " + op + " operation does not apply: doc is missing path: \"" + path + "\"");
            }
            try {
                document = io.fabric8.zjsonpatch.JsonPatch.apply(JsonNodeFactory.instance.arrayNode().add(operation), document);
            } catch (JsonPatchException e) {
                throw PatchException.invalid("json patch " + op + " operation on \"" + path + "\" failed: " + e.getMessage());
            }
        }
        return document == target ? document.deepCopy() : document;
    }

    /** Returns the operation name once the operation is well-formed. */
    private static String validate(JsonNode operation) {
        String op = operation.path("op").asText("");
        if (!OPERATIONS.contains(op)) {
            throw PatchException.badRequest("json patch operation " + operation + ": unexpected kind \"" + op + "\"");
        }
        JsonNode path = operation.get("path");
        if (path == null || !path.isTextual() || !(path.asText().isEmpty() || path.asText().startsWith("/"))) {
            throw PatchException.badRequest("json patch operation " + operation + ": \"path\" must be a JSON pointer");
        }
        return op;
    }
}
