package dev.timon.streams;

/** The peer broke the SPDY framing; the connection cannot continue. */
public final class SpdyProtocolException extends RuntimeException {

    public SpdyProtocolException(String message) {
        super(message);
    }
}
