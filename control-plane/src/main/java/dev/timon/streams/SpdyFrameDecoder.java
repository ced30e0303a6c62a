package dev.timon.streams;

import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads SPDY/3.1 frames from a byte stream that may arrive in arbitrary pieces (TCP reads, or WebSocket
 * messages carrying a tunnelled SPDY stream). One decoder per connection direction: header blocks share one
 * zlib stream for the whole connection.
 */
public final class SpdyFrameDecoder {

    /** Far more than Kubernetes' few short headers; guards against a zlib bomb. */
    private static final int MAX_HEADER_BYTES = 1 << 20;

    private final Inflater inflater = new Inflater();
    private Buffer pending = Buffer.buffer();

    /** Appends bytes and returns the frames completed by them (unknown frame types are skipped). */
    public List<SpdyFrame> decode(Buffer bytes) {
        pending = pending.length() == 0 ? bytes.copy() : pending.appendBuffer(bytes);
        List<SpdyFrame> frames = new ArrayList<>();
        int at = 0;
        while (pending.length() - at >= 8) {
            int length = pending.getInt(at + 4) & 0xffffff;
            if (pending.length() - at < 8 + length) {
                break;
            }
            SpdyFrame frame = frame(pending, at, length);
            if (frame != null) {
                frames.add(frame);
            }
            at += 8 + length;
        }
        pending = pending.getBuffer(at, pending.length());
        return frames;
    }

    private SpdyFrame frame(Buffer b, int at, int length) {
        int flags = b.getUnsignedByte(at + 4);
        boolean fin = (flags & SpdyFrame.FLAG_FIN) != 0;
        int p = at + 8;
        if ((b.getUnsignedByte(at) & 0x80) == 0) {
            return new SpdyFrame.Data(b.getInt(at) & 0x7fffffff, fin, b.getBuffer(p, p + length));
        }
        int version = b.getUnsignedShort(at) & 0x7fff;
        if (version != 3) {
            throw new SpdyProtocolException("unsupported SPDY version " + version);
        }
        int type = b.getUnsignedShort(at + 2);
        return switch (type) {
            case 1 -> new SpdyFrame.SynStream(b.getInt(p) & 0x7fffffff, b.getInt(p + 4) & 0x7fffffff,
                    b.getUnsignedByte(p + 8) >> 5, fin, headers(b, p + 10, at + 8 + length));
            case 2 -> new SpdyFrame.SynReply(b.getInt(p) & 0x7fffffff, fin, headers(b, p + 4, at + 8 + length));
            case 3 -> new SpdyFrame.RstStream(b.getInt(p) & 0x7fffffff, b.getInt(p + 4));
            case 4 -> new SpdyFrame.Settings();
            case 6 -> new SpdyFrame.Ping(b.getInt(p));
            case 7 -> new SpdyFrame.GoAway(b.getInt(p) & 0x7fffffff, length >= 8 ? b.getInt(p + 4) : 0);
            case 8 -> new SpdyFrame.Headers(b.getInt(p) & 0x7fffffff, fin, headers(b, p + 4, at + 8 + length));
            case 9 -> new SpdyFrame.WindowUpdate(b.getInt(p) & 0x7fffffff, b.getInt(p + 4) & 0x7fffffff);
            default -> null;
        };
    }

    private Map<String, String> headers(Buffer b, int from, int to) {
        Buffer raw = Buffer.buffer(inflate(b.getBytes(from, to)));
        Map<String, String> headers = new LinkedHashMap<>();
        int count = raw.getInt(0);
        int p = 4;
        for (int i = 0; i < count; i++) {
            int nameLength = raw.getInt(p);
            String name = raw.getString(p + 4, p + 4 + nameLength, StandardCharsets.UTF_8.name());
            p += 4 + nameLength;
            int valueLength = raw.getInt(p);
            // Several values of one name are NUL-separated; Kubernetes sends one value per name.
            headers.put(name, raw.getString(p + 4, p + 4 + valueLength, StandardCharsets.UTF_8.name()));
            p += 4 + valueLength;
        }
        return headers;
    }

    private byte[] inflate(byte[] compressed) {
        inflater.setInput(compressed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 4 + 64);
        byte[] chunk = new byte[1024];
        try {
            while (true) {
                int n = inflater.inflate(chunk);
                if (n == 0 && inflater.needsDictionary()) {
                    inflater.setDictionary(SpdyDictionary.BYTES);
                    continue;
                }
                out.write(chunk, 0, n);
                if (n == 0 && inflater.needsInput() || out.size() > MAX_HEADER_BYTES) {
                    return out.toByteArray();
                }
            }
        } catch (DataFormatException e) {
            throw new SpdyProtocolException("corrupt SPDY header block: " + e.getMessage());
        }
    }
}
