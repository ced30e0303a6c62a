package dev.timon.kubelet.server;

import dev.timon.streams.SpdySession;
import dev.timon.streams.SpdyStream;
import dev.timon.streams.UpgradeClient;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.net.URI;
import java.util.Map;

/**
 * One exec or attach session at the runtime's streaming server (containerd 1.6 serves remotecommand
 * {@code v4.channel.k8s.io} over SPDY only): a SPDY client with the error, stdin, stdout, stderr and resize
 * streams the options ask for. Output waits in the SPDY streams until {@link #start} says where it goes, so the
 * client-facing side can finish its own handshake first.
 */
final class ContainerStreams {

    static final String PROTOCOL = "v4.channel.k8s.io";

    /** Where the session's output goes; all calls on the connection's context. */
    interface Output {
        void stdout(Buffer data);

        void stderr(Buffer data);

        /** Once, at the end: the Status JSON the runtime wrote on the error stream (empty when none). */
        void finished(Buffer status);
    }

    private final NetSocket socket;
    private final SpdySession session;
    private final SpdyStream error;
    private final SpdyStream stdin;
    private final SpdyStream stdout;
    private final SpdyStream stderr;
    private final SpdyStream resize;
    private final Buffer status = Buffer.buffer();
    private boolean finished;

    private ContainerStreams(NetSocket socket, SpdySession session, RemoteCommandOptions options) {
        this.socket = socket;
        this.session = session;
        // The order client-go uses; the runtime starts the process once every expected stream is there.
        this.error = session.open(Map.of("streamtype", "error"));
        this.stdin = options.stdin() ? session.open(Map.of("streamtype", "stdin")) : null;
        this.stdout = options.stdout() ? session.open(Map.of("streamtype", "stdout")) : null;
        this.stderr = options.stderr() ? session.open(Map.of("streamtype", "stderr")) : null;
        this.resize = options.tty() ? session.open(Map.of("streamtype", "resize")) : null;
    }

    /** Connects to the streaming URL CRI Exec or Attach returned and upgrades to SPDY. */
    static Future<ContainerStreams> connect(NetClient client, String url, RemoteCommandOptions options) {
        URI uri = URI.create(url);
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        return client.connect(port, uri.getHost()).compose(socket -> UpgradeClient.exchange(socket,
                "POST " + uri.getRawPath() + " HTTP/1.1\r\n"
                        + "Host: " + uri.getHost() + ":" + port + "\r\n"
                        + "Connection: Upgrade\r\n"
                        + "Upgrade: SPDY/3.1\r\n"
                        + "X-Stream-Protocol-Version: " + PROTOCOL + "\r\n"
                        + "Content-Length: 0\r\n\r\n"))
                .compose(response -> {
                    if (!response.switched() || !PROTOCOL.equals(response.headers().get("X-Stream-Protocol-Version"))) {
                        return response.body().compose(body -> Future.failedFuture("the runtime's streaming server answered "
                                + response.status() + " " + response.reason() + ": " + body.toString().trim()));
                    }
                    NetSocket socket = response.socket();
                    // The runtime never opens streams of its own.
                    SpdySession session = new SpdySession(true, socket::write, SpdyStream::reset);
                    socket.handler(session::receive);
                    socket.closeHandler(v -> session.transportClosed());
                    ContainerStreams streams = new ContainerStreams(socket, session, options);
                    session.receive(response.rest());
                    socket.resume();
                    return Future.succeededFuture(streams);
                });
    }

    /** Starts delivering output, first what arrived before. */
    void start(Output output) {
        if (stdout != null) {
            stdout.handler(output::stdout);
        }
        if (stderr != null) {
            stderr.handler(output::stderr);
        }
        // The runtime writes the Status after all output, then closes; either event ends the session.
        Runnable finish = () -> {
            if (!finished) {
                finished = true;
                socket.close();
                output.finished(status);
            }
        };
        session.closeHandler(finish);
        error.handler(status::appendBuffer).endHandler(finish);
    }

    void stdin(Buffer data) {
        if (stdin != null) {
            stdin.write(data);
        }
    }

    void closeStdin() {
        if (stdin != null) {
            stdin.end();
        }
    }

    /** A terminal size as JSON, {"Width":W,"Height":H}, the same on both sides. */
    void resize(Buffer size) {
        if (resize != null) {
            resize.write(size);
        }
    }

    /** The client went away: ends the session, which ends the process's streams. */
    void close() {
        session.close();
        socket.close();
    }
}
