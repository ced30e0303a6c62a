package dev.timon.apiserver;

import io.vertx.core.http.HttpServerRequest;

import java.util.List;
import java.util.Set;

/**
 * What a resource request is about, parsed from its path as apiserver's RequestInfoFactory does:
 * /api/v1[/watch][/namespaces/{ns}]/{resource}[/{name}[/{subresource}]] and the same under /apis/{group}/{version}.
 */
public record RequestInfo(String group, String version, String namespace, String resource, String name,
                          String subresource, boolean legacyWatch) {

    /** Namespace subresources that are not resources inside the namespace. */
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    /** A watch: the legacy /watch/ path, or ?watch=true (or 1) on a collection. */
    public boolean isWatch(HttpServerRequest request) {
        String watch = request.getParam("watch");
        return legacyWatch || "true".equals(watch) || "1".equals(watch);
    }

    /** Returns null when the path is not a resource path. */
    public static RequestInfo parse(String path) {
        List<String> parts = List.of(path.replaceAll("^/+|/+$", "").split("/+"));
        String group;
        String version;
        int at;
        if (parts.size() >= 3 && parts.get(0).equals("api")) {
            group = "";
            version = parts.get(1);
            at = 2;
        } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            version = parts.get(2);
            at = 3;
        } else {
            return null;
        }
        List<String> rest = parts.subList(at, parts.size());
        boolean watch = false;
        if (!rest.isEmpty() && rest.get(0).equals("watch")) {
            watch = true;
            rest = rest.subList(1, rest.size());
        }
        String namespace = null;
        if (rest.size() >= 2 && rest.get(0).equals("namespaces")
                && (rest.size() == 2 || rest.size() == 3 && NAMESPACE_SUBRESOURCES.contains(rest.get(2)))) {
            return new RequestInfo(group, version, null, "namespaces", rest.get(1),
                    rest.size() == 3 ? rest.get(2) : null, watch);
        }
        if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        if (rest.isEmpty() || rest.size() > 3) {
            return null;
        }
        return new RequestInfo(group, version, namespace, rest.get(0), rest.size() > 1 ? rest.get(1) : null,
                rest.size() > 2 ? rest.get(2) : null, watch);
    }
}
