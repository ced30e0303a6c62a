package dev.timon.kubelet.server;

import dev.timon.streams.SpdySession;
import dev.timon.streams.SpdyStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.util.HashMap;
import java.util.Map;

/**
 * Serves {@code portforward.k8s.io}: per forwarded connection the client opens an "error" and a "data" stream
 * with the same {@code requestid} and the pod {@code port}; the data stream is spliced to a TCP connection to the
 * pod's address (reachable from the node through the pod network). The SPDY connection runs over a plain
 * upgraded socket or tunnelled in a WebSocket ({@code SPDY/3.1+portforward.k8s.io}).
 */
final class PortForwarder {

    static final String PROTOCOL = "portforward.k8s.io";
    static final String WEBSOCKET_PROTOCOL = "SPDY/3.1+" + PROTOCOL;

    private final NetClient client;
    private final String podAddress;
    private final Map<String, SpdyStream> errorStreams = new HashMap<>();

    private PortForwarder(NetClient client, String podAddress) {
        this.client = client;
        this.podAddress = podAddress;
    }

    static void serve(NetSocket socket, NetClient client, String podAddress) {
        SpdySession session = new SpdySession(false, socket::write, new PortForwarder(client, podAddress)::accept);
        socket.handler(session::receive);
        socket.closeHandler(v -> session.transportClosed());
        session.closeHandler(socket::close);
    }

    /** The tunnelled form: the WebSocket's binary messages are one continuous SPDY byte stream. */
    static void serve(ServerWebSocket socket, NetClient client, String podAddress) {
        SpdySession session = new SpdySession(false, socket::writeBinaryMessage, new PortForwarder(client, podAddress)::accept);
        socket.binaryMessageHandler(session::receive);
        socket.closeHandler(v -> session.transportClosed());
        session.closeHandler(() -> {
            if (!socket.isClosed()) {
                socket.close();
            }
        });
    }

    private void accept(SpdyStream stream) {
        String requestId = String.valueOf(stream.header("requestid"));
        switch (String.valueOf(stream.header("streamtype"))) {
            // The client never writes on it; it is only for reporting failures, then ended.
            case "error" -> errorStreams.put(requestId, stream);
            case "data" -> forward(stream, errorStreams.remove(requestId));
            default -> stream.reset();
        }
    }

    /** Data the client sends before the pod connection is up waits in the stream. */
    private void forward(SpdyStream data, SpdyStream error) {
        int port;
        try {
            port = Integer.parseInt(data.header("port"));
        } catch (NumberFormatException e) {
            fail(data, error, "invalid port " + data.header("port"));
            return;
        }
        client.connect(port, podAddress).onComplete(connected -> {
            if (connected.failed()) {
                fail(data, error, "error forwarding port " + port + " to pod at " + podAddress + ": "
                        + connected.cause().getMessage());
                return;
            }
            NetSocket pod = connected.result();
            pod.handler(data::write);
            pod.closeHandler(v -> {
                data.end();
                if (error != null) {
                    error.end();
                }
            });
            // Vert.x cannot half-close a socket: when the client is done sending, the pod connection is closed.
            data.handler(pod::write).endHandler(pod::end);
        });
    }

    private static void fail(SpdyStream data, SpdyStream error, String message) {
        if (error != null) {
            error.write(Buffer.buffer(message)).end();
        }
        data.end();
    }
}
