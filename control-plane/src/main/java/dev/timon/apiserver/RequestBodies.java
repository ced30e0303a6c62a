package dev.timon.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apimachinery.ApiException;
import dev.timon.apimachinery.Json;
import dev.timon.apimachinery.UnknownFields;
import dev.timon.apiserver.protobuf.ProtobufBodies;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.io.IOException;
import java.util.List;

/** Decodes request bodies by content type and applies the fieldValidation directive to them. */
public final class RequestBodies {

    public static final String PROTOBUF = "application/vnd.kubernetes.protobuf";

    private RequestBodies() {
    }

    /** The media type without parameters, lower-cased; a missing header counts as JSON (kubectl scale's PUT). */
    public static String mediaType(HttpServerRequest request) {
        String contentType = request.getHeader("Content-Type");
        if (contentType == null || contentType.isBlank()) {
            return "application/json";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase();
    }

    /** Parses a JSON, YAML or protobuf object body. */
    public static JsonNode parse(String mediaType, byte[] body) {
        if (body.length == 0) {
            throw ApiException.badRequest("the request body is empty");
        }
        try {
            return switch (mediaType) {
                case "application/json", "application/json-patch+json", "application/merge-patch+json",
                     "application/strategic-merge-patch+json", "*/*" -> Json.parse(body);
                case "application/yaml", "application/apply-patch+yaml" -> Json.parseYaml(body);
                case PROTOBUF -> ProtobufBodies.decode(body);
                default -> throw ApiException.unsupportedMediaType(mediaType);
            };
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("couldn't decode the body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("unable to read the request body: " + e.getMessage());
        }
    }

    /** Parses an object body: the top level must be a JSON object. */
    public static ObjectNode parseObject(String mediaType, byte[] body) {
        JsonNode node = parse(mediaType, body);
        if (!node.isObject()) {
            throw ApiException.badRequest("the request body must be a JSON object, not " + node.getNodeType().toString().toLowerCase());
        }
        return (ObjectNode) node;
    }

    /**
     * Applies fieldValidation (Strict by default for kubectl, Warn when unset as upstream): Strict rejects
     * unknown fields with 400, Warn adds a Warning header per field, Ignore lets decoding drop them.
     */
    public static void checkFields(HttpServerRequest request, HttpServerResponse response, JsonNode body, Class<?> type,
                                   String kind, String version) {
        String directive = fieldValidation(request);
        if (directive.equals("Ignore")) {
            return;
        }
        List<String> unknown = UnknownFields.find(body, type);
        if (unknown.isEmpty()) {
            return;
        }
        if (directive.equals("Strict")) {
            StringBuilder message = new StringBuilder(kind + " in version \"" + version + "\" cannot be handled as a "
                    + kind + ": strict decoding error: ");
            for (int i = 0; i < unknown.size(); i++) {
                message.append(i == 0 ? "" : ", ").append("unknown field \"").append(unknown.get(i)).append('"');
            }
            throw ApiException.badRequest(message.toString());
        }
        unknown.forEach(f -> response.headers().add("Warning", "299 - \"unknown field \\\"" + f + "\\\"\""));
    }

    /**
     * Applies fieldValidation to a field the raw JSON body gives twice: Strict rejects it, Warn warns, Ignore keeps
     * the last value (which is what parsing did).
     */
    public static void checkDuplicates(HttpServerRequest request, HttpServerResponse response, String mediaType, byte[] body,
                                       String kind, String version) {
        String directive = fieldValidation(request);
        if (directive.equals("Ignore") || !mediaType.equals("application/json")) {
            return;
        }
        String duplicate = Json.firstDuplicateField(body);
        if (duplicate == null) {
            return;
        }
        if (directive.equals("Strict")) {
            throw ApiException.badRequest(kind + " in version \"" + version + "\" cannot be handled as a " + kind
                    + ": strict decoding error: duplicate field \"" + duplicate + "\"");
        }
        response.headers().add("Warning", "299 - \"duplicate field \\\"" + duplicate + "\\\"\"");
    }

    /** Strict, Warn (the default when the client names none, as upstream) or Ignore. */
    private static String fieldValidation(HttpServerRequest request) {
        String directive = request.getParam("fieldValidation");
        if (directive == null || directive.isEmpty()) {
            return "Warn";
        }
        if (!directive.equals("Strict") && !directive.equals("Warn") && !directive.equals("Ignore")) {
            throw ApiException.badRequest("fieldValidation parameter unsupported: " + directive);
        }
        return directive;
    }
}
