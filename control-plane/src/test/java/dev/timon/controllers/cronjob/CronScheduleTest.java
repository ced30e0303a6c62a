package dev.timon.controllers.cronjob;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CronScheduleTest {

    @ParameterizedTest(name = "{0} after {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "*/1 * * * *        | 2025-03-10T10:15:30Z | 2025-03-10T10:16Z",
            "* * * * *          | 2025-03-10T10:15:00Z | 2025-03-10T10:16Z",
            "*/15 * * * *       | 2025-03-10T10:15:00Z | 2025-03-10T10:30Z",
            "5 * * * *          | 2025-03-10T10:15:00Z | 2025-03-10T11:05Z",
            "0 9-17/4 * * *     | 2025-03-10T10:00:00Z | 2025-03-10T13:00Z",
            "0,30 8 * * *       | 2025-03-10T08:00:00Z | 2025-03-10T08:30Z",
            "0 0 1 jan *        | 2025-03-10T10:00:00Z | 2026-01-01T00:00Z",
            "0 0 * * MON-fri    | 2025-03-08T10:00:00Z | 2025-03-10T00:00Z",
            "0 0 * * sun        | 2025-03-10T10:00:00Z | 2025-03-16T00:00Z",
            "0 0 13 * 5         | 2025-03-10T10:00:00Z | 2025-03-13T00:00Z",
            "0 0 13 * 5         | 2025-03-13T10:00:00Z | 2025-03-14T00:00Z",
            "0 0 31 * *         | 2025-04-01T00:00:00Z | 2025-05-31T00:00Z",
            "0 0 29 2 *         | 2025-01-01T00:00:00Z | 2028-02-29T00:00Z",
            "10/20 * * * *      | 2025-03-10T10:31:00Z | 2025-03-10T10:50Z",
            "@hourly            | 2025-03-10T10:15:00Z | 2025-03-10T11:00Z",
            "@daily             | 2025-03-10T10:15:00Z | 2025-03-11T00:00Z",
            "@weekly            | 2025-03-10T10:15:00Z | 2025-03-16T00:00Z",
            "@monthly           | 2025-03-10T10:15:00Z | 2025-04-01T00:00Z",
            "@yearly            | 2025-03-10T10:15:00Z | 2026-01-01T00:00Z",
            "0 0 ? * 1          | 2025-03-10T10:15:00Z | 2025-03-17T00:00Z",
    })
    void nextFireTime(String schedule, String after, String expected) {
        ZonedDateTime next = CronSchedule.parse(schedule).next(ZonedDateTime.parse(after), ZoneOffset.UTC).orElseThrow();
        assertEquals(ZonedDateTime.parse(expected).toInstant(), next.toInstant());
    }

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource(delimiter = '|', value = {
            "0 9 * * * | Europe/Berlin    | 2025-03-10T07:00:00Z | 2025-03-10T08:00Z",
            "0 9 * * * | America/New_York | 2025-03-10T07:00:00Z | 2025-03-10T13:00Z",
            "0 9 * * * | UTC              | 2025-03-10T07:00:00Z | 2025-03-10T09:00Z",
    })
    void honoursTimeZone(String schedule, String zone, String after, String expected) {
        ZonedDateTime next = CronSchedule.parse(schedule).next(ZonedDateTime.parse(after), ZoneId.of(zone)).orElseThrow();
        assertEquals(ZonedDateTime.parse(expected).toInstant(), next.toInstant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *",
            "* * * * 7", "*/0 * * * *", "5-1 * * * *", "a * * * *", "@every", "1-2-3 * * * *", "*/5/2 * * * *"})
    void rejectsInvalidSchedules(String schedule) {
        assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse(schedule));
    }

    @ParameterizedTest(name = "{0} between {1} and {2}")
    @CsvSource(delimiter = '|', value = {
            "*/1 * * * * | 2025-03-10T10:00:00Z | 2025-03-10T10:00:59Z | ''                | 0",
            "*/1 * * * * | 2025-03-10T10:00:00Z | 2025-03-10T10:01:00Z | 2025-03-10T10:01Z | 1",
            "*/1 * * * * | 2025-03-10T10:00:00Z | 2025-03-10T10:05:30Z | 2025-03-10T10:05Z | 5",
            "*/1 * * * * | 2025-03-10T10:00:00Z | 2025-03-10T13:00:00Z | 2025-03-10T13:00Z | 101",
    })
    void mostRecentMissedTime(String schedule, String earliest, String now, String expected, int count) {
        var missed = CronSchedule.parse(schedule).mostRecent(ZonedDateTime.parse(earliest), ZonedDateTime.parse(now),
                ZoneOffset.UTC, 100);
        assertEquals(expected.isEmpty(), missed.isEmpty());
        missed.ifPresent(m -> {
            assertEquals(ZonedDateTime.parse(expected).toInstant(), m.time().toInstant());
            assertEquals(count, m.count());
        });
    }
}
