package dev.timon.kubelet.server;

import dev.timon.streams.ChannelFrames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

/** Serves exec or attach to a {@code v5.channel.k8s.io} WebSocket client (kubectl's default) from the runtime. */
final class WebSocketRemoteCommand {

    private static final short NORMAL_CLOSURE = 1000;

    private WebSocketRemoteCommand() {
    }

    static void serve(ServerWebSocket socket, ContainerStreams container) {
        socket.binaryMessageHandler(message -> {
            if (message.length() == 0) {
                return;
            }
            Buffer payload = ChannelFrames.payload(message);
            switch (ChannelFrames.channel(message)) {
                case ChannelFrames.STDIN -> container.stdin(payload);
                case ChannelFrames.RESIZE -> container.resize(payload);
                case ChannelFrames.CLOSE -> {
                    if (payload.length() > 0 && payload.getUnsignedByte(0) == ChannelFrames.STDIN) {
                        container.closeStdin();
                    }
                }
                default -> { }
            }
        });
        socket.closeHandler(v -> container.close());
        container.start(new ContainerStreams.Output() {
            @Override
            public void stdout(Buffer data) {
                socket.writeBinaryMessage(ChannelFrames.frame(ChannelFrames.STDOUT, data));
            }

            @Override
            public void stderr(Buffer data) {
                socket.writeBinaryMessage(ChannelFrames.frame(ChannelFrames.STDERR, data));
            }

            @Override
            public void finished(Buffer status) {
                if (socket.isClosed()) {
                    return;
                }
                if (status.length() > 0) {
                    socket.writeBinaryMessage(ChannelFrames.frame(ChannelFrames.ERROR, status));
                }
                socket.close(NORMAL_CLOSURE);
            }
        });
    }
}
