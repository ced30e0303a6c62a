package dev.timon.streams;

import io.vertx.core.buffer.Buffer;

/**
 * The {@code v5.channel.k8s.io} WebSocket framing of exec and attach: every binary message starts with the
 * channel id, the rest is that channel's data.
 */
public final class ChannelFrames {

    public static final String PROTOCOL = "v5.channel.k8s.io";
    public static final int STDIN = 0;
    public static final int STDOUT = 1;
    public static final int STDERR = 2;
    /** One Status JSON: how the command ended. */
    public static final int ERROR = 3;
    /** Terminal size JSON, {"Width":W,"Height":H}. */
    public static final int RESIZE = 4;
    /** v5's half-close: the payload is the id of the channel the sender has finished writing. */
    public static final int CLOSE = 255;

    private ChannelFrames() {
    }

    public static Buffer frame(int channel, Buffer data) {
        return Buffer.buffer(1 + data.length()).appendByte((byte) channel).appendBuffer(data);
    }

    public static int channel(Buffer message) {
        return message.getUnsignedByte(0);
    }

    public static Buffer payload(Buffer message) {
        return message.getBuffer(1, message.length());
    }
}
