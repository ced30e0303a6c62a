package dev.timon.apiserver.openapi;

import dev.timon.apiserver.openapi.Operation.Parameter;
import dev.timon.registry.ResourceDefinition;
import dev.timon.registry.Subresource;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Everything one group version serves, independent of the OpenAPI version describing it: its operations and the
 * top-level kinds their bodies and responses use.
 */
record GroupVersionApi(String group, String version, List<Operation> operations, List<Kind> kinds) {

    /** A model class that is a top-level kind. */
    record Kind(Class<?> type, Gvk gvk) {
    }

    static final List<String> PATCH_TYPES = List.of("application/apply-patch+yaml", "application/json-patch+json",
            "application/merge-patch+json", "application/strategic-merge-patch+json");
    private static final List<String> OBJECT_TYPES =
            List.of("application/json", "application/yaml", "application/vnd.kubernetes.protobuf");
    private static final List<String> LIST_TYPES = List.of("application/json", "application/yaml",
            "application/vnd.kubernetes.protobuf", "application/json;stream=watch",
            "application/vnd.kubernetes.protobuf;stream=watch");
    private static final Gvk SCALE = new Gvk("autoscaling", "v1", "Scale");


    /** "api/v1" or "apis/apps/v1": the path under /openapi/v3 and the URL prefix of the group version. */
    String path() {
        return path(group, version);
    }

    private static String path(String group, String version) {
        return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
    }

    static GroupVersionApi of(String group, String version, List<ResourceDefinition<?>> resources) {
        List<Operation> operations = new ArrayList<>();
        Map<Class<?>, Kind> kinds = new LinkedHashMap<>();
        for (ResourceDefinition<?> resource : resources) {
            Gvk gvk = new Gvk(group, version, resource.kind());
            kinds.put(resource.type(), new Kind(resource.type(), gvk));
            kinds.put(listType(resource), new Kind(listType(resource), new Gvk(group, version, resource.kind() + "List")));
            if (resource.has(Subresource.SCALE)) {
                kinds.put(Scale.class, new Kind(Scale.class, SCALE));
            }
            new ResourceOperations(group, version, resource, gvk).addTo(operations);
        }
        // Every group version accepts DeleteOptions as its own kind; Status is always core v1's.
        kinds.put(DeleteOptions.class, new Kind(DeleteOptions.class, new Gvk(group, version, "DeleteOptions")));
        kinds.put(Status.class, new Kind(Status.class, new Gvk("", "v1", "Status")));
        return new GroupVersionApi(group, version, List.copyOf(operations), List.copyOf(kinds.values()));
    }

    /** fabric8 names every list type after its item type: Deployment, DeploymentList. */
    private static Class<?> listType(ResourceDefinition<?> resource) {
        try {
            return Class.forName(resource.type().getName() + "List", false, resource.type().getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("no list type for " + resource.type(), e);
        }
    }

    /** The operations of one resource, named like upstream's (listAppsV1NamespacedDeployment, ...). */
    private record ResourceOperations(String group, String version, ResourceDefinition<?> resource, Gvk gvk) {

        void addTo(List<Operation> out) {
            String prefix = "/" + path(group, version);
            String collection = prefix + (resource.namespaced() ? "/namespaces/{namespace}/" : "/") + resource.plural();
            String item = collection + "/{name}";
            String kind = SchemaNames.of(resource.type());
            String scope = resource.namespaced() ? "Namespaced" : "";
            List<Parameter> collectionParams = resource.namespaced()
                    ? List.of(Parameters.NAMESPACE, Parameters.PRETTY) : List.of(Parameters.PRETTY);
            List<Parameter> itemParams = Parameters.concat(List.of(Parameters.NAME), collectionParams);
            String status = SchemaNames.of(Status.class);
            String deleteOptions = SchemaNames.of(DeleteOptions.class);

            if (can("list")) {
                List<Parameter> params = Parameters.concat(collectionParams, Parameters.list(can("watch")));
                String list = SchemaNames.of(listType(resource));
                out.add(op(collection, "get", "list" + scope + resource.kind(), "list", gvk, params, null, List.of(),
                        Map.of("200", list), LIST_TYPES));
                if (resource.namespaced()) {
                    out.add(op(prefix + "/" + resource.plural(), "get", "list" + resource.kind() + "ForAllNamespaces",
                            "list", gvk, Parameters.concat(List.of(Parameters.PRETTY), Parameters.list(can("watch"))),
                            null, List.of(), Map.of("200", list), LIST_TYPES));
                }
            }
            if (can("create")) {
                out.add(op(collection, "post", "create" + scope + resource.kind(), "post", gvk,
                        Parameters.concat(collectionParams, Parameters.WRITE), kind, List.of("*/*"),
                        responses(kind, "200", "201", "202"), OBJECT_TYPES));
            }
            if (can("deletecollection")) {
                out.add(op(collection, "delete", "deleteCollection" + scope + resource.kind(), "deletecollection", gvk,
                        Parameters.concat(collectionParams, Parameters.deleteCollection()), deleteOptions,
                        List.of("*/*"), Map.of("200", status), OBJECT_TYPES));
            }
            if (can("delete")) {
                out.add(op(item, "delete", "delete" + scope + resource.kind(), "delete", gvk,
                        Parameters.concat(itemParams, Parameters.DELETE), deleteOptions, List.of("*/*"),
                        responses(status, "200", "202"), OBJECT_TYPES));
            }
            addReadWrite(out, item, scope + resource.kind(), kind, gvk, itemParams);
            if (resource.has(Subresource.STATUS)) {
                addReadWrite(out, item + "/status", scope + resource.kind() + "Status", kind, gvk, itemParams);
            }
            if (resource.has(Subresource.SCALE)) {
                addReadWrite(out, item + "/scale", scope + resource.kind() + "Scale", SchemaNames.of(Scale.class), SCALE,
                        itemParams);
            }
        }

        /** get, put and patch of an object or of one of its subresources. */
        private void addReadWrite(List<Operation> out, String path, String name, String schema, Gvk kind,
                                  List<Parameter> itemParams) {
            if (can("get")) {
                out.add(op(path, "get", "read" + name, "get", kind, itemParams, null, List.of(),
                        Map.of("200", schema), OBJECT_TYPES));
            }
            if (can("update")) {
                out.add(op(path, "put", "replace" + name, "put", kind, Parameters.concat(itemParams, Parameters.WRITE),
                        schema, List.of("*/*"), responses(schema, "200", "201"), OBJECT_TYPES));
            }
            if (can("patch")) {
                out.add(op(path, "patch", "patch" + name, "patch", kind, Parameters.concat(itemParams, Parameters.PATCH),
                        SchemaNames.PATCH, PATCH_TYPES, responses(schema, "200", "201"), OBJECT_TYPES));
            }
        }

        private boolean can(String verb) {
            return resource.verbs().contains(verb);
        }

        private Operation op(String path, String method, String id, String action, Gvk kind, List<Parameter> params,
                             String body, List<String> bodyTypes, Map<String, String> responses, List<String> produces) {
            return new Operation(path, method, id.replaceFirst("^([a-z]+)", "$1" + groupToken()), tag(), action, kind,
                    params, body, bodyTypes, responses, produces);
        }

        /** "CoreV1", "AppsV1", "CoordinationV1": the group version as upstream spells it in operation ids. */
        private String groupToken() {
            String groupName = group.isEmpty() ? "core" : group.replaceFirst("\\.k8s\\.io$", "");
            return Arrays.stream(groupName.split("\\.")).map(ResourceOperations::capitalize).collect(Collectors.joining())
                    + capitalize(version);
        }

        private String tag() {
            return (group.isEmpty() ? "core" : group.replaceFirst("\\.k8s\\.io$", "").replace('.', '_')) + "_" + version;
        }

        private static Map<String, String> responses(String schema, String... codes) {
            Map<String, String> responses = new LinkedHashMap<>();
            for (String code : codes) {
                responses.put(code, schema);
            }
            return responses;
        }

        private static String capitalize(String s) {
            return Character.toUpperCase(s.charAt(0)) + s.substring(1);
        }
    }
}
