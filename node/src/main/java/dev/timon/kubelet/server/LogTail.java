package dev.timon.kubelet.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** The end of a container's CRI log file as plain output (partial lines joined, no timestamps). */
public final class LogTail {
    private LogTail() {
    }

    /** The last {@code lines} lines of the container's output, then at most their last {@code maxBytes} bytes. */
    public static byte[] read(Path file, int lines, int maxBytes) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var reader = new LogFileLines(file)) {
            for (byte[] entry : ContainerLogs.lastEntries(reader, new LogOptions(false, lines, null, false, -1, false))) {
                out.writeBytes(entry);
            }
        }
        byte[] all = out.toByteArray();
        return all.length <= maxBytes ? all : Arrays.copyOfRange(all, all.length - maxBytes, all.length);
    }
}
