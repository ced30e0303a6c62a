package dev.timon.streams;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A SPDY/3.1 connection over any byte transport (a TCP socket, or a WebSocket tunnelling the SPDY byte
 * stream). Accepts the peer's streams (answering SYN_REPLY), opens its own, echoes PINGs. Like moby/spdystream,
 * which both kubectl and containerd use, it does no flow control: WINDOW_UPDATE frames are ignored.
 * Not thread-safe: feed it and use it from one Vert.x context.
 */
public final class SpdySession {

    private final Consumer<Buffer> output;
    private final Handler<SpdyStream> acceptor;
    private final SpdyFrameEncoder encoder = new SpdyFrameEncoder();
    private final SpdyFrameDecoder decoder = new SpdyFrameDecoder();
    private final Map<Integer, SpdyStream> streams = new HashMap<>();
    private int nextStreamId;
    private int lastPeerStreamId;
    private Runnable closeHandler;
    private boolean closed;

    /**
     * @param client   whether this side initiated the connection (its streams get odd ids)
     * @param output   writes encoded frames to the transport, one frame per call
     * @param acceptor receives each stream the peer opens, already answered with SYN_REPLY
     */
    public SpdySession(boolean client, Consumer<Buffer> output, Handler<SpdyStream> acceptor) {
        this.output = output;
        this.acceptor = acceptor;
        this.nextStreamId = client ? 1 : 2;
    }

    /** Called once when the session ends: GOAWAY received, {@link #close()}, or {@link #transportClosed()}. */
    public SpdySession closeHandler(Runnable closeHandler) {
        this.closeHandler = closeHandler;
        return this;
    }

    /** Feeds bytes read from the transport. */
    public void receive(Buffer bytes) {
        if (closed) {
            return;
        }
        for (SpdyFrame frame : decoder.decode(bytes)) {
            dispatch(frame);
        }
    }

    /** Opens a stream with SYN_STREAM; data may be written to it at once. */
    public SpdyStream open(Map<String, String> headers) {
        SpdyStream stream = new SpdyStream(this, nextStreamId, headers);
        nextStreamId += 2;
        streams.put(stream.id(), stream);
        send(new SpdyFrame.SynStream(stream.id(), 0, 0, false, headers));
        return stream;
    }

    /** Says GOAWAY and ends every stream; the caller then closes the transport. */
    public void close() {
        if (!closed) {
            send(new SpdyFrame.GoAway(lastPeerStreamId, 0));
            transportClosed();
        }
    }

    /** The transport is gone: ends every stream and the session. */
    public void transportClosed() {
        if (closed) {
            return;
        }
        closed = true;
        new ArrayList<>(streams.values()).forEach(SpdyStream::connectionClosed);
        streams.clear();
        if (closeHandler != null) {
            closeHandler.run();
        }
    }

    public boolean closed() {
        return closed;
    }

    void send(SpdyFrame frame) {
        if (!closed) {
            output.accept(encoder.encode(frame));
        }
    }

    void forgetIfDone(SpdyStream stream) {
        if (stream.done()) {
            streams.remove(stream.id());
        }
    }

    private void dispatch(SpdyFrame frame) {
        if (frame instanceof SpdyFrame.SynStream s) {
            lastPeerStreamId = s.streamId();
            SpdyStream stream = new SpdyStream(this, s.streamId(), s.headers());
            streams.put(s.streamId(), stream);
            send(new SpdyFrame.SynReply(s.streamId(), false, Map.of()));
            acceptor.handle(stream);
            if (s.fin()) {
                stream.remoteEnd();
            }
        } else if (frame instanceof SpdyFrame.Data d) {
            SpdyStream stream = streams.get(d.streamId());
            if (stream != null) {
                stream.receive(d.data());
                if (d.fin()) {
                    stream.remoteEnd();
                }
            }
        } else if (frame instanceof SpdyFrame.SynReply r) {
            endIfFin(r.streamId(), r.fin());
        } else if (frame instanceof SpdyFrame.Headers h) {
            endIfFin(h.streamId(), h.fin());
        } else if (frame instanceof SpdyFrame.RstStream r) {
            SpdyStream stream = streams.remove(r.streamId());
            if (stream != null) {
                stream.connectionClosed();
            }
        } else if (frame instanceof SpdyFrame.Ping) {
            send(frame);
        } else if (frame instanceof SpdyFrame.GoAway) {
            transportClosed();
        }
        // SETTINGS and WINDOW_UPDATE change nothing without flow control.
    }

    private void endIfFin(int streamId, boolean fin) {
        SpdyStream stream = streams.get(streamId);
        if (fin && stream != null) {
            stream.remoteEnd();
        }
    }
}
