package dev.timon.registry.printers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AgesTest {

    @ParameterizedTest(name = "{0}s -> {1}")
    @CsvSource({
            "-3, <invalid>",
            "-2, <invalid>",
            "-1, 0s",
            "0, 0s",
            "59, 59s",
            "119, 119s",
            "120, 2m",
            "125, 2m5s",
            "599, 9m59s",
            "600, 10m",
            "610, 10m",
            "10799, 179m",
            "10800, 3h",
            "11100, 3h5m",
            "28799, 7h59m",
            "28800, 8h",
            "172799, 47h",
            "172800, 2d",
            "180000, 2d2h",
            "691199, 7d23h",
            "691200, 8d",
            "63071999, 729d",
            "63072000, 2y",
            "66960000, 2y45d",
            "252287999, 7y364d",
            "252288000, 8y",
    })
    void humanDurationBoundaries(long seconds, String expected) {
        assertEquals(expected, Ages.humanDuration(Duration.ofSeconds(seconds)));
    }

    @Test
    void slightlyNegativeFractionTruncatesTowardZero() {
        assertEquals("0s", Ages.humanDuration(Duration.ofMillis(-1500)));
    }

    @Test
    void ageOfMissingTimestampIsUnknown() {
        assertEquals("<unknown>", Ages.age(null, Cells.NOW));
        assertEquals("<unknown>", Ages.age("", Cells.NOW));
    }

    @Test
    void ageCountsFromTheCreationTimestamp() {
        assertEquals("5m", Ages.age(Cells.ago(300), Cells.NOW));
        assertEquals("5m", Ages.age("2025-01-15T12:55:00+01:00", Cells.NOW));
    }
}
