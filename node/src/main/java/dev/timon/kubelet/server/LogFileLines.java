package dev.timon.kubelet.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads a growing file line by line; a last line without its newline yet is held back until it is complete. */
final class LogFileLines implements AutoCloseable {

    private final FileChannel channel;
    private final ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    LogFileLines(Path file) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        chunk.flip();
    }

    /** The next complete line without its newline, or null when the file holds no complete line yet. */
    byte[] next() throws IOException {
        while (true) {
            while (chunk.hasRemaining()) {
                byte b = chunk.get();
                if (b == '\n') {
                    byte[] complete = line.toByteArray();
                    line.reset();
                    return complete;
                }
                line.write(b);
            }
            chunk.clear();
            int read = channel.read(chunk);
            chunk.flip();
            if (read <= 0) {
                return null;
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
