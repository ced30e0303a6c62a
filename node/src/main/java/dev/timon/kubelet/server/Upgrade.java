package dev.timon.kubelet.server;

import dev.timon.apimachinery.ApiException;
import dev.timon.streams.UpgradedConnections;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetSocket;

import java.util.Arrays;

/** How a streaming client asks to switch protocols: WebSocket (kubectl's first try) or SPDY/3.1 (its fallback). */
enum Upgrade {
    WEBSOCKET, SPDY;

    static final String PROTOCOL_HEADER = "X-Stream-Protocol-Version";

    static Upgrade of(HttpServerRequest request) {
        String upgrade = String.valueOf(request.getHeader("Upgrade"));
        if (upgrade.equalsIgnoreCase("websocket")) {
            return WEBSOCKET;
        }
        if (upgrade.equalsIgnoreCase("SPDY/3.1")) {
            return SPDY;
        }
        throw ApiException.badRequest("Upgrade request required");
    }

    /** Whether the client offers {@code protocol}; the header may repeat or hold a list. */
    boolean offers(HttpServerRequest request, String protocol) {
        return request.headers().getAll(PROTOCOL_HEADER).stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .anyMatch(value -> value.trim().equals(protocol));
    }

    /** Answers 101 with the chosen SPDY protocol and takes the raw connection. */
    Future<NetSocket> accept(HttpServerRequest request, String protocol) {
        request.response().putHeader("Connection", "Upgrade").putHeader("Upgrade", "SPDY/3.1")
                .putHeader(PROTOCOL_HEADER, protocol);
        return UpgradedConnections.take(request);
    }
}
