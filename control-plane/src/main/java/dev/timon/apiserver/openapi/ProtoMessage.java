package dev.timon.apiserver.openapi;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes one protobuf message field by field. Nested messages are written whole and then embedded, so a
 * document is built bottom-up. Like proto3, empty strings and false booleans are not written.
 */
final class ProtoMessage {

    private final ByteString.Output bytes = ByteString.newOutput();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    ProtoMessage string(int field, String value) {
        if (value != null && !value.isEmpty()) {
            write(() -> out.writeString(field, value));
        }
        return this;
    }

    ProtoMessage bool(int field, boolean value) {
        if (value) {
            write(() -> out.writeBool(field, true));
        }
        return this;
    }

    ProtoMessage message(int field, ProtoMessage value) {
        ByteString encoded = value.toByteString();
        write(() -> out.writeBytes(field, encoded));
        return this;
    }

    ByteString toByteString() {
        write(out::flush);
        return bytes.toByteString();
    }

    private interface Write {
        void run() throws IOException;
    }

    private static void write(Write write) {
        try {
            write.run();
        } catch (IOException e) {
            // Only an in-memory buffer is written to.
            throw new UncheckedIOException(e);
        }
    }
}
