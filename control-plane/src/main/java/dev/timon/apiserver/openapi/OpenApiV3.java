package dev.timon.apiserver.openapi;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apiserver.openapi.Operation.Parameter;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes one group version's API as an OpenAPI 3.0 document, the form served under /openapi/v3/. */
final class OpenApiV3 {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private OpenApiV3() {
    }

    static ObjectNode document(GroupVersionApi api, String serverVersion) {
        SchemaGenerator schemas = new SchemaGenerator(Dialect.V3);
        api.kinds().forEach(kind -> schemas.addKind(kind.type(), kind.gvk()));
        schemas.addFixed(SchemaNames.PATCH);

        Map<String, ObjectNode> paths = new TreeMap<>();
        for (Operation op : api.operations()) {
            paths.computeIfAbsent(op.path(), p -> JSON.objectNode()).set(op.method(), operation(op));
        }
        ObjectNode document = JSON.objectNode().put("openapi", "3.0.0");
        document.putObject("info").put("title", "Kubernetes").put("version", serverVersion);
        document.putObject("paths").setAll(paths);
        ObjectNode components = document.putObject("components");
        components.putObject("schemas").setAll(schemas.schemas());
        components.putObject("securitySchemes").putObject("BearerToken")
                .put("type", "apiKey").put("name", "authorization").put("in", "header")
                .put("description", "Bearer token authentication");
        document.putArray("security").addObject().putArray("BearerToken");
        return document;
    }

    private static ObjectNode operation(Operation op) {
        ObjectNode node = JSON.objectNode();
        node.putArray("tags").add(op.tag());
        node.put("operationId", op.operationId());
        var parameters = node.putArray("parameters");
        op.parameters().forEach(p -> parameters.add(parameter(p)));
        if (op.body() != null) {
            ObjectNode body = node.putObject("requestBody");
            body.set("content", content(op.bodyTypes(), op.body()));
            body.put("required", true);
        }
        ObjectNode responses = node.putObject("responses");
        op.responses().forEach((code, schema) ->
                responses.putObject(code).put("description", Operation.statusText(code)).set("content", content(op.produces(), schema)));
        responses.putObject("401").put("description", Operation.statusText("401"));
        node.put("x-kubernetes-action", op.action());
        node.set("x-kubernetes-group-version-kind", op.gvk().toJson());
        return node;
    }

    private static ObjectNode parameter(Parameter p) {
        ObjectNode node = JSON.objectNode().put("name", p.name()).put("in", p.in()).put("description", p.description());
        if (p.required()) {
            node.put("required", true);
        }
        node.putObject("schema").put("type", p.type()).put("uniqueItems", true);
        return node;
    }

    private static ObjectNode content(List<String> types, String schema) {
        ObjectNode content = JSON.objectNode();
        types.forEach(type -> content.putObject(type).set("schema", Dialect.V3.ref(schema)));
        return content;
    }
}
