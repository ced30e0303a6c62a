package dev.timon.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apimachinery.Json;
import dev.timon.registry.ResourceDefinition;
import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.List;

/** Server-side printing: a meta.k8s.io/v1 Table built from a resource's declared columns. */
public final class Tables {

    /** Which object each row carries (the includeObject parameter). */
    public enum IncludeObject {
        NONE, METADATA, OBJECT;

        static IncludeObject parse(String value) {
            if (value == null || value.isEmpty() || value.equals("Metadata")) {
                return METADATA;
            }
            return switch (value) {
                case "None" -> NONE;
                case "Object" -> OBJECT;
                default -> throw dev.timon.apimachinery.ApiException.badRequest(
                        "includeObject must be one of None, Metadata, Object");
            };
        }
    }

    private Tables() {
    }

    public static <T extends HasMetadata> ObjectNode table(ResourceDefinition<T> def, List<? extends HasMetadata> objects,
                                                          IncludeObject include, String resourceVersion, String continueToken) {
        ObjectNode table = JsonNodeFactory.instance.objectNode();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        ObjectNode metadata = table.putObject("metadata");
        if (resourceVersion != null) {
            metadata.put("resourceVersion", resourceVersion);
        }
        if (continueToken != null && !continueToken.isEmpty()) {
            metadata.put("continue", continueToken);
        }
        ArrayNode columns = table.putArray("columnDefinitions");
        for (TableColumn<T> c : def.columns()) {
            ObjectNode column = columns.addObject();
            column.put("name", c.name());
            column.put("type", c.type());
            column.put("format", c.format());
            column.put("description", c.description());
            column.put("priority", c.priority());
        }
        ArrayNode rows = table.putArray("rows");
        for (HasMetadata o : objects) {
            rows.add(row(def, def.type().cast(o), include));
        }
        return table;
    }

    private static <T extends HasMetadata> ObjectNode row(ResourceDefinition<T> def, T object, IncludeObject include) {
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        ArrayNode cells = row.putArray("cells");
        for (TableColumn<T> c : def.columns()) {
            cells.add(Json.MAPPER.valueToTree(c.cell().apply(object)));
        }
        if (object instanceof Pod pod && pod.getStatus() != null
                && ("Succeeded".equals(pod.getStatus().getPhase()) || "Failed".equals(pod.getStatus().getPhase()))) {
            // Upstream marks finished pods so `kubectl get` can hide them with --show-all semantics.
            ObjectNode condition = row.putArray("conditions").addObject();
            condition.put("type", "Completed");
            condition.put("status", "True");
            condition.put("reason", pod.getStatus().getPhase());
            condition.put("message", "Succeeded".equals(pod.getStatus().getPhase())
                    ? "The pod has completed successfully." : "The pod failed.");
        }
        switch (include) {
            case OBJECT -> row.set("object", Json.tree(object));
            case METADATA -> {
                ObjectNode partial = row.putObject("object");
                partial.put("kind", "PartialObjectMetadata");
                partial.put("apiVersion", "meta.k8s.io/v1");
                partial.set("metadata", Json.tree(object.getMetadata()));
            }
            case NONE -> { }
        }
        return row;
    }
}
