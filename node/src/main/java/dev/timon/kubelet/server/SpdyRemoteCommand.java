package dev.timon.kubelet.server;

import dev.timon.streams.SpdySession;
import dev.timon.streams.SpdyStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * Serves exec or attach to a SPDY/3.1 client (kubectl's fallback) speaking {@code v4.channel.k8s.io}: the
 * client opens one stream per {@code streamtype}; once all it asked for are there, the runtime's output flows.
 */
final class SpdyRemoteCommand {

    private final ContainerStreams container;
    private SpdyStream error;
    private SpdyStream stdout;
    private SpdyStream stderr;
    private int awaited;

    private SpdyRemoteCommand(RemoteCommandOptions options, ContainerStreams container) {
        this.container = container;
        this.awaited = 1 + count(options.stdin()) + count(options.stdout()) + count(options.stderr()) + count(options.tty());
    }

    static void serve(NetSocket socket, RemoteCommandOptions options, ContainerStreams container) {
        SpdyRemoteCommand command = new SpdyRemoteCommand(options, container);
        SpdySession session = new SpdySession(false, socket::write, command::accept);
        socket.handler(session::receive);
        socket.closeHandler(v -> {
            session.transportClosed();
            container.close();
        });
        session.closeHandler(socket::close);
    }

    private void accept(SpdyStream stream) {
        switch (String.valueOf(stream.header("streamtype"))) {
            case "error" -> error = stream;
            case "stdin" -> stream.handler(container::stdin).endHandler(container::closeStdin);
            case "stdout" -> stdout = stream;
            case "stderr" -> stderr = stream;
            case "resize" -> stream.handler(container::resize);
            default -> {
                stream.reset();
                return;
            }
        }
        if (--awaited == 0) {
            container.start(new Output());
        }
    }

    private static int count(boolean wanted) {
        return wanted ? 1 : 0;
    }

    private final class Output implements ContainerStreams.Output {
        @Override
        public void stdout(Buffer data) {
            if (stdout != null) {
                stdout.write(data);
            }
        }

        @Override
        public void stderr(Buffer data) {
            if (stderr != null) {
                stderr.write(data);
            }
        }

        /** Output streams end first, then the Status on the error stream, which the client reads to the end. */
        @Override
        public void finished(Buffer status) {
            for (SpdyStream stream : new SpdyStream[] {stdout, stderr}) {
                if (stream != null) {
                    stream.end();
                }
            }
            error.write(status).end();
        }
    }
}
