package dev.timon.kubelet.server;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * One line of a CRI container log file: {@code <RFC3339Nano> <stdout|stderr> <P|F> <message>}. A {@code P}
 * (partial) line continues in the next line of the same stream; {@code F} ends a line of the container's output.
 */
record CriLogLine(String timestamp, String stream, boolean partial, byte[] message) {

    /** Parses one line without its newline; null when it is not in the CRI format. */
    static CriLogLine parse(byte[] line) {
        int first = indexOf(line, 0);
        int second = first < 0 ? -1 : indexOf(line, first + 1);
        if (second < 0) {
            return null;
        }
        int third = indexOf(line, second + 1);
        int tagEnd = third < 0 ? line.length : third;
        String tag = new String(line, second + 1, tagEnd - second - 1, StandardCharsets.US_ASCII);
        byte[] message = third < 0 ? new byte[0] : Arrays.copyOfRange(line, third + 1, line.length);
        return new CriLogLine(new String(line, 0, first, StandardCharsets.US_ASCII),
                new String(line, first + 1, second - first - 1, StandardCharsets.US_ASCII), tag.equals("P"), message);
    }

    Instant time() {
        return Instant.parse(timestamp);
    }

    private static int indexOf(byte[] line, int from) {
        for (int i = from; i < line.length; i++) {
            if (line[i] == ' ') {
                return i;
            }
        }
        return -1;
    }
}
