package dev.timon.apiserver;

import dev.timon.apimachinery.ApiException;
import dev.timon.apiserver.openapi.OpenApiService;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;
import java.util.Optional;

/**
 * Serves /openapi/v3 (index and per group-version documents) and /openapi/v2 (gnostic protobuf). Documents
 * are built once, on a worker thread, since the first build takes seconds.
 */
public final class OpenApiHandler {

    private static final String V3_PREFIX = "/openapi/v3/";

    private final Vertx vertx;
    private final OpenApiService service;

    public OpenApiHandler(Vertx vertx, OpenApiService service) {
        this.vertx = vertx;
        this.service = service;
    }

    /** Builds the documents in the background so the first kubectl apply does not wait for them. */
    public void warmUp() {
        vertx.executeBlocking(() -> service.v3Index(), false);
    }

    void serve(HttpServerRequest request, String path) {
        vertx.executeBlocking(() -> render(path), false).onComplete(result -> {
            if (result.failed()) {
                Responses.error(request.response(), result.cause());
                return;
            }
            Rendered rendered = result.result();
            request.response().putHeader("Cache-Control", rendered.immutable() ? "public, immutable" : "no-cache, private");
            Responses.bytes(request.response(), 200, rendered.body(), rendered.contentType());
        });
    }

    private record Rendered(byte[] body, String contentType, boolean immutable) {
    }

    private Rendered render(String path) {
        if (path.equals("/openapi/v3")) {
            return new Rendered(dev.timon.apimachinery.Json.bytes(service.v3Index()), "application/json", false);
        }
        if (path.startsWith(V3_PREFIX)) {
            Optional<byte[]> document = service.v3Document(path.substring(V3_PREFIX.length()));
            if (document.isPresent()) {
                return new Rendered(document.get(), "application/json", true);
            }
        }
        if (path.equals("/openapi/v2")) {
            return new Rendered(service.v2Protobuf(), OpenApiService.V2_PROTOBUF_CONTENT_TYPE, false);
        }
        throw new ApiException(404, "NotFound", "the server could not find the requested resource",
                ApiException.Target.NONE, List.of());
    }
}
