package dev.timon.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Round trips through the SPDY/3.1 codec, and Netty's independent SPDY codec as the reference for the wire format. */
class SpdyFrameCodecTest {

    @Test
    void everyFrameSurvivesARoundTripWithOneZlibStreamPerDirection() {
        SpdyFrameEncoder encoder = new SpdyFrameEncoder();
        SpdyFrameDecoder decoder = new SpdyFrameDecoder();
        List<SpdyFrame> frames = List.of(
                new SpdyFrame.SynStream(1, 0, 0, false, Map.of("streamtype", "error", "port", "80", "requestid", "0")),
                // The second header block only decodes if the zlib context carried over from the first.
                new SpdyFrame.SynStream(3, 0, 0, true, Map.of("streamtype", "data", "port", "80", "requestid", "0")),
                new SpdyFrame.SynReply(1, false, Map.of()),
                new SpdyFrame.Headers(3, true, Map.of("x", "y")),
                new SpdyFrame.Data(3, false, Buffer.buffer("GET / HTTP/1.1\r\n\r\n")),
                new SpdyFrame.Data(3, true, Buffer.buffer()),
                new SpdyFrame.RstStream(3, SpdyFrame.STATUS_CANCEL),
                new SpdyFrame.Ping(7),
                new SpdyFrame.WindowUpdate(1, 65536),
                new SpdyFrame.GoAway(3, 0));
        Buffer wire = Buffer.buffer();
        frames.forEach(frame -> wire.appendBuffer(encoder.encode(frame)));

        // Fed one byte at a time, as a WebSocket tunnel may split the stream anywhere.
        List<SpdyFrame> decoded = new ArrayList<>();
        for (int i = 0; i < wire.length(); i++) {
            decoded.addAll(decoder.decode(wire.getBuffer(i, i + 1)));
        }
        assertEquals(frames, decoded);
    }

    @Test
    void headerBlocksUseTheSpdy3DictionaryAsNettyDoes() throws Exception {
        assertEquals(1423, SpdyDictionary.BYTES.length);
        var field = Class.forName("io.netty.handler.codec.spdy.SpdyCodecUtil").getDeclaredField("SPDY_DICT");
        field.setAccessible(true);
        assertArrayEquals((byte[]) field.get(null), SpdyDictionary.BYTES);

        // Ours → Netty: Netty's decoder reads our SYN_STREAMs, headers and all.
        SpdyFrameEncoder encoder = new SpdyFrameEncoder();
        EmbeddedChannel netty = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
        netty.writeInbound(Unpooled.wrappedBuffer(encoder.encode(
                new SpdyFrame.SynStream(1, 0, 0, false, Map.of("streamtype", "stdout"))).getBytes()));
        netty.writeInbound(Unpooled.wrappedBuffer(encoder.encode(
                new SpdyFrame.SynStream(3, 0, 0, false, Map.of("streamtype", "stderr"))).getBytes()));
        SpdySynStreamFrame first = netty.readInbound();
        SpdySynStreamFrame second = netty.readInbound();
        assertEquals("stdout", first.headers().getAsString("streamtype"));
        assertEquals(3, second.streamId());
        assertEquals("stderr", second.headers().getAsString("streamtype"));

        // Netty → ours.
        DefaultSpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(5, 0, (byte) 0);
        syn.headers().add("streamtype", "resize");
        netty.writeOutbound(syn);
        SpdyFrameDecoder decoder = new SpdyFrameDecoder();
        List<SpdyFrame> decoded = new ArrayList<>();
        ByteBuf out;
        while ((out = netty.readOutbound()) != null) {
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            out.release();
            decoded.addAll(decoder.decode(Buffer.buffer(bytes)));
        }
        assertEquals(List.of(new SpdyFrame.SynStream(5, 0, 0, false, Map.of("streamtype", "resize"))), decoded);
        netty.finishAndReleaseAll();
    }

    @Test
    void sessionsTalkToEachOther() {
        List<SpdyStream> accepted = new ArrayList<>();
        StringBuilder received = new StringBuilder();
        SpdySession[] server = new SpdySession[1];
        SpdySession client = new SpdySession(true, bytes -> server[0].receive(bytes), stream -> { });
        server[0] = new SpdySession(false, client::receive, stream -> {
            accepted.add(stream);
            stream.handler(data -> received.append(data)).endHandler(() -> stream.write(Buffer.buffer("bye")).end());
        });
        StringBuilder answer = new StringBuilder();
        boolean[] ended = new boolean[1];
        SpdyStream stream = client.open(Map.of("streamtype", "stdin"));
        stream.handler(data -> answer.append(data)).endHandler(() -> ended[0] = true);
        stream.write(Buffer.buffer("hello")).end();

        assertEquals(1, accepted.size());
        assertEquals("stdin", accepted.get(0).header("streamtype"));
        assertEquals("hello", received.toString());
        assertEquals("bye", answer.toString());
        assertTrue(ended[0]);
    }

    @Test
    void channelFramesCarryTheChannelInTheirFirstByte() {
        Buffer frame = ChannelFrames.frame(ChannelFrames.STDOUT, Buffer.buffer("abc\n"));
        assertEquals("01616263 0a".replace(" ", ""), bytesHex(frame));
        assertEquals(ChannelFrames.STDOUT, ChannelFrames.channel(frame));
        assertEquals("abc\n", ChannelFrames.payload(frame).toString());
        Buffer close = Buffer.buffer(new byte[] {(byte) 0xff, 0});
        assertEquals(ChannelFrames.CLOSE, ChannelFrames.channel(close));
        assertEquals(ChannelFrames.STDIN, ChannelFrames.payload(close).getUnsignedByte(0));
    }

    private static String bytesHex(Buffer buffer) {
        StringBuilder hex = new StringBuilder();
        for (byte b : buffer.getBytes()) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }
}
