package dev.timon.apiserver;

import dev.timon.registry.ResourceDefinition;
import dev.timon.registry.Subresource;
import io.vertx.core.http.HttpServerRequest;

/**
 * Serves the streaming subresources (pods/log, exec, attach, portforward, proxy) by reaching the node that
 * runs the pod. The request is handed over whole, upgrades included.
 */
public interface NodeStreams {

    void handle(HttpServerRequest request, ResourceDefinition<?> def, RequestInfo info, Subresource subresource);
}
