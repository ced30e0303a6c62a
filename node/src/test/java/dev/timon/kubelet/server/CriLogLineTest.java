package dev.timon.kubelet.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CriLogLineTest {

    @Test
    void parsesFullAndPartialLines() {
        CriLogLine full = parse("2026-11-22T00:26:11.123456789Z stdout F hello world");
        assertEquals("stdout", full.stream());
        assertFalse(full.partial());
        assertEquals("hello world", new String(full.message(), StandardCharsets.UTF_8));
        assertEquals(Instant.parse("2026-11-22T00:26:11.123456789Z"), full.time());

        CriLogLine partial = parse("2026-11-22T00:26:11Z stderr P part ");
        assertTrue(partial.partial());
        assertEquals("part ", new String(partial.message(), StandardCharsets.UTF_8));
        assertEquals("", new String(parse("2026-11-22T00:26:11Z stdout F").message(), StandardCharsets.UTF_8));
        assertNull(parse("garbage"));
    }

    private static CriLogLine parse(String line) {
        return CriLogLine.parse(line.getBytes(StandardCharsets.UTF_8));
    }
}
