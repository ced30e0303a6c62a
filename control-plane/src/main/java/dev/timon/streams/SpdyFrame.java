package dev.timon.streams;

import io.vertx.core.buffer.Buffer;

import java.util.Map;

/** The SPDY/3.1 frames Kubernetes streaming uses (moby/spdystream's subset). Header names are lower case. */
public sealed interface SpdyFrame {

    int FLAG_FIN = 1;
    int FLAG_UNIDIRECTIONAL = 2;
    /** RST_STREAM status sent when a stream is abandoned, as spdystream does on close. */
    int STATUS_CANCEL = 5;

    record Data(int streamId, boolean fin, Buffer data) implements SpdyFrame {
    }

    record SynStream(int streamId, int associatedId, int priority, boolean fin, Map<String, String> headers)
            implements SpdyFrame {
    }

    record SynReply(int streamId, boolean fin, Map<String, String> headers) implements SpdyFrame {
    }

    record RstStream(int streamId, int status) implements SpdyFrame {
    }

    /** SETTINGS; Kubernetes peers send none that matter, so their entries are not kept. */
    record Settings() implements SpdyFrame {
    }

    record Ping(int id) implements SpdyFrame {
    }

    record GoAway(int lastGoodStreamId, int status) implements SpdyFrame {
    }

    record Headers(int streamId, boolean fin, Map<String, String> headers) implements SpdyFrame {
    }

    record WindowUpdate(int streamId, int delta) implements SpdyFrame {
    }
}
