package dev.timon.streams;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;

/**
 * The client half of an HTTP/1.1 upgrade (WebSocket or SPDY) done by hand on a raw socket, so the bytes
 * after {@code 101} can be spliced or spoken as SPDY: Vert.x's HTTP client only upgrades to WebSocket.
 */
public final class UpgradeClient {

    /** Bounds the response head; upstream servers send a few hundred bytes. */
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private UpgradeClient() {
    }

    /**
     * What the server answered. The socket is paused; {@code rest} holds the bytes read past the head
     * (the start of the body, or of the upgraded protocol), to be handled before the socket is resumed.
     */
    public record Response(NetSocket socket, int status, String reason, MultiMap headers, Buffer rest) {

        public boolean switched() {
            return status == 101;
        }

        /** Reads a non-upgrade response's body (Content-Length, else up to the close). */
        public Future<Buffer> body() {
            Promise<Buffer> promise = Promise.promise();
            Buffer body = rest.copy();
            String length = headers.get("Content-Length");
            long wanted = length == null ? Long.MAX_VALUE : Long.parseLong(length.trim());
            if (body.length() >= wanted) {
                socket.close();
                return Future.succeededFuture(body.getBuffer(0, (int) wanted));
            }
            socket.handler(chunk -> {
                body.appendBuffer(chunk);
                if (body.length() >= wanted) {
                    socket.close();
                }
            });
            socket.closeHandler(v -> promise.tryComplete(body));
            socket.exceptionHandler(promise::tryFail);
            socket.resume();
            return promise.future();
        }
    }

    /** Writes {@code requestHead} (ending in an empty line) and reads the response head. */
    public static Future<Response> exchange(NetSocket socket, String requestHead) {
        Promise<Response> promise = Promise.promise();
        Buffer received = Buffer.buffer();
        socket.handler(chunk -> {
            received.appendBuffer(chunk);
            int end = headEnd(received);
            if (end < 0) {
                if (received.length() > MAX_HEAD_BYTES) {
                    socket.close();
                    promise.tryFail("response head from " + socket.remoteAddress() + " is too large");
                }
                return;
            }
            socket.pause();
            socket.handler(null);
            socket.closeHandler(null);
            socket.exceptionHandler(null);
            try {
                promise.tryComplete(parse(socket, received.getString(0, end, StandardCharsets.ISO_8859_1.name()),
                        received.getBuffer(end + 4, received.length())));
            } catch (RuntimeException e) {
                socket.close();
                promise.tryFail(e);
            }
        });
        socket.closeHandler(v -> promise.tryFail("connection to " + socket.remoteAddress() + " closed before a response"));
        socket.exceptionHandler(promise::tryFail);
        socket.write(Buffer.buffer(requestHead, StandardCharsets.ISO_8859_1.name()));
        return promise.future();
    }

    private static int headEnd(Buffer b) {
        for (int i = 0; i + 3 < b.length(); i++) {
            if (b.getByte(i) == '\r' && b.getByte(i + 1) == '\n' && b.getByte(i + 2) == '\r' && b.getByte(i + 3) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static Response parse(NetSocket socket, String head, Buffer rest) {
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new IllegalStateException("not an HTTP/1.1 response: " + lines[0]);
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.add(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
        }
        return new Response(socket, Integer.parseInt(status[1]), status.length > 2 ? status[2] : "", headers, rest);
    }
}
