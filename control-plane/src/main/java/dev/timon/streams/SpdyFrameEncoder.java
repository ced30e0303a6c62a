package dev.timon.streams;

import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * Writes SPDY/3.1 frames. One encoder per connection direction: header blocks share one zlib stream
 * (primed with the SPDY dictionary) for the whole connection, as the protocol requires.
 */
public final class SpdyFrameEncoder {

    private static final int VERSION = 3;

    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);

    public SpdyFrameEncoder() {
        deflater.setDictionary(SpdyDictionary.BYTES);
    }

    public Buffer encode(SpdyFrame frame) {
        if (frame instanceof SpdyFrame.Data d) {
            Buffer out = Buffer.buffer(8 + d.data().length());
            out.appendInt(d.streamId() & 0x7fffffff);
            out.appendInt(((d.fin() ? SpdyFrame.FLAG_FIN : 0) << 24) | d.data().length());
            return out.appendBuffer(d.data());
        }
        if (frame instanceof SpdyFrame.SynStream s) {
            byte[] block = headerBlock(s.headers());
            Buffer payload = Buffer.buffer(10 + block.length).appendInt(s.streamId()).appendInt(s.associatedId())
                    .appendByte((byte) (s.priority() << 5)).appendByte((byte) 0).appendBytes(block);
            return control(1, s.fin() ? SpdyFrame.FLAG_FIN : 0, payload);
        }
        if (frame instanceof SpdyFrame.SynReply r) {
            return control(2, r.fin() ? SpdyFrame.FLAG_FIN : 0,
                    Buffer.buffer().appendInt(r.streamId()).appendBytes(headerBlock(r.headers())));
        }
        if (frame instanceof SpdyFrame.RstStream r) {
            return control(3, 0, Buffer.buffer().appendInt(r.streamId()).appendInt(r.status()));
        }
        if (frame instanceof SpdyFrame.Settings) {
            return control(4, 0, Buffer.buffer().appendInt(0));
        }
        if (frame instanceof SpdyFrame.Ping p) {
            return control(6, 0, Buffer.buffer().appendInt(p.id()));
        }
        if (frame instanceof SpdyFrame.GoAway g) {
            return control(7, 0, Buffer.buffer().appendInt(g.lastGoodStreamId()).appendInt(g.status()));
        }
        if (frame instanceof SpdyFrame.Headers h) {
            return control(8, h.fin() ? SpdyFrame.FLAG_FIN : 0,
                    Buffer.buffer().appendInt(h.streamId()).appendBytes(headerBlock(h.headers())));
        }
        SpdyFrame.WindowUpdate w = (SpdyFrame.WindowUpdate) frame;
        return control(9, 0, Buffer.buffer().appendInt(w.streamId()).appendInt(w.delta()));
    }

    private static Buffer control(int type, int flags, Buffer payload) {
        return Buffer.buffer(8 + payload.length())
                .appendShort((short) (0x8000 | VERSION)).appendShort((short) type)
                .appendInt((flags << 24) | payload.length())
                .appendBuffer(payload);
    }

    /** count, then (length, name, length, value) pairs, compressed and sync-flushed so the peer can read it now. */
    private byte[] headerBlock(Map<String, String> headers) {
        Buffer raw = Buffer.buffer().appendInt(headers.size());
        headers.forEach((name, value) -> {
            byte[] n = name.toLowerCase().getBytes(StandardCharsets.UTF_8);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            raw.appendInt(n.length).appendBytes(n).appendInt(v.length).appendBytes(v);
        });
        deflater.setInput(raw.getBytes());
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length() + 64);
        byte[] chunk = new byte[1024];
        int n;
        do {
            n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
            out.write(chunk, 0, n);
        } while (n == chunk.length || !deflater.needsInput());
        return out.toByteArray();
    }
}
