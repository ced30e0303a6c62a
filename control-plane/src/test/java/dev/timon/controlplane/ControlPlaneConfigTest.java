package dev.timon.controlplane;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ControlPlaneConfigTest {

    @Test
    void eventTtlDefaultsToAnHourAndTakesGoDurations() {
        assertEquals(Duration.ofHours(1), ControlPlaneConfig.fromArgs(new String[0]).eventTtl());
        assertEquals(Duration.ofMinutes(90), ControlPlaneConfig.fromArgs(new String[]{"--event-ttl", "1h30m"}).eventTtl());
        for (String invalid : new String[]{"", "1d", "h", "1h 30m", "30", "0s"}) {
            assertThrows(IllegalArgumentException.class,
                    () -> ControlPlaneConfig.fromArgs(new String[]{"--event-ttl", invalid}), invalid);
        }
    }
}
