package dev.timon.apiserver;

import io.vertx.core.http.HttpServerRequest;

/** Serves /openapi/v2 and /openapi/v3/... from the documents built for the served types. */
public interface OpenApiEndpoints {

    void serve(HttpServerRequest request, String path);
}
