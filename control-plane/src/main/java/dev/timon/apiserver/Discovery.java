package dev.timon.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.registry.Registry;
import dev.timon.registry.ResourceDefinition;
import dev.timon.registry.Subresource;

import java.util.List;
import java.util.Map;

/**
 * Discovery documents, built once from the registry: the legacy APIVersions / APIGroupList /
 * APIResourceList and the aggregated apidiscovery.k8s.io/v2 lists kubectl 1.32 asks for first.
 */
public final class Discovery {

    public static final String AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    public static final String AGGREGATED_V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** What a subresource answers with, when it is not the parent's kind. */
    private record SubresourceKind(String group, String version, String kind, List<String> verbs) {
    }

    private final Registry registry;
    private final String serverAddress;

    public Discovery(Registry registry, String serverAddress) {
        this.registry = registry;
        this.serverAddress = serverAddress;
    }

    public ObjectNode apiVersions() {
        ObjectNode versions = JSON.objectNode();
        versions.put("kind", "APIVersions");
        versions.putArray("versions").add("v1");
        ObjectNode cidr = versions.putArray("serverAddressByClientCIDRs").addObject();
        cidr.put("clientCIDR", "0.0.0.0/0");
        cidr.put("serverAddress", serverAddress);
        return versions;
    }

    public ObjectNode apiGroupList() {
        ObjectNode list = JSON.objectNode();
        list.put("kind", "APIGroupList");
        list.put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        registry.groups().forEach((group, versions) -> {
            if (!group.isEmpty()) {
                groups.add(apiGroup(group, versions));
            }
        });
        return list;
    }

    public ObjectNode apiGroup(String group, List<String> versions) {
        ObjectNode g = JSON.objectNode();
        g.put("kind", "APIGroup");
        g.put("apiVersion", "v1");
        g.put("name", group);
        ArrayNode list = g.putArray("versions");
        versions.forEach(v -> list.addObject().put("groupVersion", group + "/" + v).put("version", v));
        g.putObject("preferredVersion").put("groupVersion", group + "/" + versions.get(0)).put("version", versions.get(0));
        return g;
    }

    /** The served versions of a named group, preferred first; empty when the group is not served. */
    public List<String> versionsOf(String group) {
        return group.isEmpty() ? List.of() : registry.groups().getOrDefault(group, List.of());
    }

    public ObjectNode apiResourceList(String group, String version) {
        ObjectNode list = JSON.objectNode();
        list.put("kind", "APIResourceList");
        list.put("apiVersion", "v1");
        list.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode resources = list.putArray("resources");
        for (ResourceDefinition<?> d : registry.inGroupVersion(group, version)) {
            ObjectNode r = resources.addObject();
            r.put("name", d.plural());
            r.put("singularName", d.singular());
            r.put("namespaced", d.namespaced());
            r.put("kind", d.kind());
            verbs(r.putArray("verbs"), d.verbs());
            if (!d.shortNames().isEmpty()) {
                verbs(r.putArray("shortNames"), d.shortNames());
            }
            if (!d.categories().isEmpty()) {
                verbs(r.putArray("categories"), d.categories());
            }
            for (Subresource s : d.subresources()) {
                SubresourceKind kind = subresourceKind(d, s);
                ObjectNode sub = resources.addObject();
                sub.put("name", d.plural() + "/" + s.path());
                sub.put("singularName", "");
                sub.put("namespaced", d.namespaced());
                if (!kind.group().equals(d.group()) || !kind.version().equals(d.version())) {
                    sub.put("group", kind.group());
                    sub.put("version", kind.version());
                }
                sub.put("kind", kind.kind());
                verbs(sub.putArray("verbs"), kind.verbs());
            }
        }
        return list;
    }

    /** The aggregated list for /api (core only) or /apis (every named group). */
    public ObjectNode aggregated(boolean core, String contentTypeVersion) {
        ObjectNode list = JSON.objectNode();
        list.put("kind", "APIGroupDiscoveryList");
        list.put("apiVersion", "apidiscovery.k8s.io/" + contentTypeVersion);
        list.putObject("metadata");
        ArrayNode items = list.putArray("items");
        for (Map.Entry<String, List<String>> e : registry.groups().entrySet()) {
            if (e.getKey().isEmpty() != core) {
                continue;
            }
            ObjectNode item = items.addObject();
            ObjectNode meta = item.putObject("metadata");
            if (!core) {
                meta.put("name", e.getKey());
            }
            ArrayNode versions = item.putArray("versions");
            for (String version : e.getValue()) {
                ObjectNode v = versions.addObject();
                v.put("version", version);
                ArrayNode resources = v.putArray("resources");
                registry.inGroupVersion(e.getKey(), version).forEach(d -> resources.add(aggregatedResource(d)));
                v.put("freshness", "Current");
            }
        }
        return list;
    }

    private ObjectNode aggregatedResource(ResourceDefinition<?> d) {
        ObjectNode r = JSON.objectNode();
        r.put("resource", d.plural());
        r.putObject("responseKind").put("group", d.group()).put("version", d.version()).put("kind", d.kind());
        r.put("scope", d.namespaced() ? "Namespaced" : "Cluster");
        r.put("singularResource", d.singular());
        verbs(r.putArray("verbs"), d.verbs());
        if (!d.shortNames().isEmpty()) {
            verbs(r.putArray("shortNames"), d.shortNames());
        }
        if (!d.categories().isEmpty()) {
            verbs(r.putArray("categories"), d.categories());
        }
        if (!d.subresources().isEmpty()) {
            ArrayNode subs = r.putArray("subresources");
            for (Subresource s : d.subresources()) {
                SubresourceKind kind = subresourceKind(d, s);
                ObjectNode sub = subs.addObject();
                sub.put("subresource", s.path());
                sub.putObject("responseKind").put("group", kind.group()).put("version", kind.version()).put("kind", kind.kind());
                verbs(sub.putArray("verbs"), kind.verbs());
            }
        }
        return r;
    }

    private static SubresourceKind subresourceKind(ResourceDefinition<?> d, Subresource s) {
        return switch (s) {
            case STATUS -> new SubresourceKind(d.group(), d.version(), d.kind(), List.of("get", "patch", "update"));
            case SCALE -> new SubresourceKind("autoscaling", "v1", "Scale", List.of("get", "patch", "update"));
            case BINDING -> new SubresourceKind("", "v1", "Binding", List.of("create"));
            case EVICTION -> new SubresourceKind("policy", "v1", "Eviction", List.of("create"));
            case LOG -> new SubresourceKind("", "v1", d.kind(), List.of("get"));
            case EXEC, ATTACH -> new SubresourceKind("", "v1", "PodExecOptions".replace("Exec", s == Subresource.EXEC ? "Exec" : "Attach"),
                    List.of("create", "get"));
            case PORTFORWARD -> new SubresourceKind("", "v1", "PodPortForwardOptions", List.of("create", "get"));
            case PROXY -> new SubresourceKind("", "v1", d.kind().equals("Node") ? "NodeProxyOptions"
                    : d.kind().equals("Service") ? "ServiceProxyOptions" : "PodProxyOptions",
                    List.of("create", "delete", "get", "patch", "update"));
            case FINALIZE -> new SubresourceKind(d.group(), d.version(), d.kind(), List.of("update"));
        };
    }

    private static void verbs(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
