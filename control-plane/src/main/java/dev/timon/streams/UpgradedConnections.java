package dev.timon.streams;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetSocket;

import java.lang.reflect.Method;

/**
 * Takes over the raw connection of an HTTP/1.1 upgrade request after answering 101 with the headers already
 * set on the response. Vert.x 5's {@code toNetSocket()} only accepts GET (and CONNECT) upgrades, but kubectl's
 * SPDY upgrades are POSTs; for those the same internal method is called as if the request were a GET.
 */
public final class UpgradedConnections {

    private UpgradedConnections() {
    }

    @SuppressWarnings("unchecked")
    public static Future<NetSocket> take(HttpServerRequest request) {
        // Vert.x hands over the socket only once the (empty) request has been read to its end.
        request.resume();
        if (request.method() == HttpMethod.GET) {
            return request.toNetSocket();
        }
        HttpServerResponse response = request.response();
        try {
            Method netSocket = response.getClass().getDeclaredMethod("netSocket", HttpMethod.class, MultiMap.class);
            netSocket.setAccessible(true);
            return (Future<NetSocket>) netSocket.invoke(response, HttpMethod.GET, request.headers());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Future.failedFuture(new IllegalStateException("cannot take over a " + request.method()
                    + " upgrade with this Vert.x version", e));
        }
    }
}
