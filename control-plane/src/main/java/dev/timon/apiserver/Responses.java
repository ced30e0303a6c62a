package dev.timon.apiserver;

import dev.timon.apimachinery.ApiException;
import dev.timon.apimachinery.Json;
import dev.timon.apiserver.patch.PatchException;
import dev.timon.apiserver.protobuf.ProtobufDecodeException;
import dev.timon.registry.ResourceStore;
import dev.timon.storage.CachedObject;
import io.grpc.StatusRuntimeException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;

/** Writes JSON bodies and turns every failure into a Kubernetes Status with the right code. */
public final class Responses {

    private static final Logger LOG = LoggerFactory.getLogger(Responses.class);

    private Responses() {
    }

    public static void json(HttpServerResponse response, int code, Object body) {
        byte[] json = body instanceof byte[] b ? b : body instanceof CachedObject stored ? stored.json() : Json.bytes(body);
        bytes(response, code, json, "application/json");
    }

    public static void bytes(HttpServerResponse response, int code, byte[] body, String contentType) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(code).putHeader("Content-Type", contentType)
                .putHeader("Cache-Control", "no-cache, private")
                .end(Buffer.buffer(body));
    }

    public static void error(HttpServerResponse response, Throwable failure) {
        ApiException e = toApiException(failure);
        json(response, e.code(), e.toStatus());
    }

    /** Maps any failure to the Status it should produce; unexpected ones are 500s and logged. */
    public static ApiException toApiException(Throwable failure) {
        Throwable t = ResourceStore.unwrap(failure);
        if (t instanceof ApiException api) {
            return api;
        }
        if (t instanceof PatchException patch) {
            return new ApiException(patch.code(), patch.code() == 422 ? "Invalid" : "BadRequest", patch.getMessage(),
                    ApiException.Target.NONE, List.of());
        }
        if (t instanceof ProtobufDecodeException proto) {
            return ApiException.badRequest(proto.getMessage());
        }
        if (t instanceof StatusRuntimeException storage) {
            // etcd's refusal (out of space, unavailable) is no bug of ours: one line, and upstream's message.
            LOG.warn("storage error: {}", storage.getMessage());
            return ApiException.internal(Objects.requireNonNullElse(storage.getStatus().getDescription(), storage.getMessage()));
        }
        LOG.error("internal error", t);
        return ApiException.internal(String.valueOf(t));
    }
}
