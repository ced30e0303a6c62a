package dev.timon.streams;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One SPDY stream of a {@link SpdySession}. Data that arrives before a handler is set is kept, so a stream
 * can be handed around before anyone reads it. All calls happen on the session's Vert.x context.
 */
public final class SpdyStream {

    private final SpdySession session;
    private final int id;
    private final Map<String, String> headers;
    private final List<Buffer> early = new ArrayList<>();
    private Handler<Buffer> handler;
    private Runnable endHandler;
    private boolean remoteEnded;
    private boolean localEnded;

    SpdyStream(SpdySession session, int id, Map<String, String> headers) {
        this.session = session;
        this.id = id;
        this.headers = headers;
    }

    public int id() {
        return id;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public String header(String name) {
        return headers.get(name);
    }

    public SpdyStream write(Buffer data) {
        if (!localEnded && data.length() > 0) {
            session.send(new SpdyFrame.Data(id, false, data));
        }
        return this;
    }

    /** Half-closes the stream: an empty DATA frame with FIN. */
    public void end() {
        if (!localEnded) {
            localEnded = true;
            session.send(new SpdyFrame.Data(id, true, Buffer.buffer()));
            session.forgetIfDone(this);
        }
    }

    /** Abandons the stream in both directions (RST_STREAM CANCEL). */
    public void reset() {
        if (!localEnded || !remoteEnded) {
            localEnded = true;
            session.send(new SpdyFrame.RstStream(id, SpdyFrame.STATUS_CANCEL));
            remoteEnd();
        }
    }

    public SpdyStream handler(Handler<Buffer> handler) {
        this.handler = handler;
        early.forEach(handler::handle);
        early.clear();
        return this;
    }

    /**
     * Called once when the peer half-closes or resets the stream, or the connection ends; set it after
     * {@link #handler} so that data kept from before comes first.
     */
    public SpdyStream endHandler(Runnable endHandler) {
        this.endHandler = endHandler;
        if (remoteEnded) {
            endHandler.run();
        }
        return this;
    }

    boolean done() {
        return localEnded && remoteEnded;
    }

    void receive(Buffer data) {
        if (remoteEnded || data.length() == 0) {
            return;
        }
        if (handler == null) {
            early.add(data);
        } else {
            handler.handle(data);
        }
    }

    void remoteEnd() {
        if (remoteEnded) {
            return;
        }
        remoteEnded = true;
        session.forgetIfDone(this);
        if (endHandler != null) {
            endHandler.run();
        }
    }

    /** The connection is gone: nothing more can be sent or received. */
    void connectionClosed() {
        localEnded = true;
        remoteEnd();
    }
}
