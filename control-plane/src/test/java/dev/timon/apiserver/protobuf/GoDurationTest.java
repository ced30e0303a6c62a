package dev.timon.apiserver.protobuf;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GoDurationTest {

    /** Expected strings are what Go's time.Duration.String() prints. */
    @ParameterizedTest(name = "{0}ns = {1}")
    @CsvSource({
            "0, 0s",
            "1, 1ns",
            "1500, 1.5µs",
            "2000000, 2ms",
            "1500000000, 1.5s",
            "300000000000, 5m0s",
            "3600000000000, 1h0m0s",
            "5430000000000, 1h30m30s",
            "-90000000000, -1m30s",
    })
    void formatsLikeGo(long nanos, String expected) {
        assertEquals(expected, GoDuration.format(nanos));
    }
}
