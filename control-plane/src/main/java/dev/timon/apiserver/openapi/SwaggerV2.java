package dev.timon.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apiserver.openapi.Operation.Parameter;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes the whole API as one Swagger 2.0 document, the form served (as protobuf) under /openapi/v2. */
final class SwaggerV2 {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SwaggerV2() {
    }

    static ObjectNode document(List<GroupVersionApi> apis, String serverVersion) {
        SchemaGenerator schemas = new SchemaGenerator(Dialect.V2);
        Map<String, ObjectNode> paths = new TreeMap<>();
        for (GroupVersionApi api : apis) {
            api.kinds().forEach(kind -> schemas.addKind(kind.type(), kind.gvk()));
            for (Operation op : api.operations()) {
                paths.computeIfAbsent(op.path(), p -> JSON.objectNode()).set(op.method(), operation(op));
            }
        }
        schemas.addFixed(SchemaNames.PATCH);

        ObjectNode document = JSON.objectNode().put("swagger", "2.0");
        document.putObject("info").put("title", "Kubernetes").put("version", serverVersion);
        document.putObject("paths").setAll(paths);
        document.putObject("definitions").setAll(schemas.schemas());
        return document;
    }

    private static ObjectNode operation(Operation op) {
        ObjectNode node = JSON.objectNode();
        node.putArray("tags").add(op.tag());
        node.put("operationId", op.operationId());
        if (op.body() != null) {
            strings(node.putArray("consumes"), op.bodyTypes());
        }
        strings(node.putArray("produces"), op.produces());
        node.putArray("schemes").add("https");
        ArrayNode parameters = node.putArray("parameters");
        op.parameters().forEach(p -> parameters.add(parameter(p)));
        if (op.body() != null) {
            parameters.addObject().put("name", "body").put("in", "body").put("required", true)
                    .set("schema", Dialect.V2.ref(op.body()));
        }
        ObjectNode responses = node.putObject("responses");
        op.responses().forEach((code, schema) ->
                responses.putObject(code).put("description", Operation.statusText(code)).set("schema", Dialect.V2.ref(schema)));
        responses.putObject("401").put("description", Operation.statusText("401"));
        node.put("x-kubernetes-action", op.action());
        node.set("x-kubernetes-group-version-kind", op.gvk().toJson());
        return node;
    }

    private static ObjectNode parameter(Parameter p) {
        ObjectNode node = JSON.objectNode().put("name", p.name()).put("in", p.in()).put("description", p.description())
                .put("type", p.type()).put("uniqueItems", true);
        if (p.required()) {
            node.put("required", true);
        }
        return node;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
