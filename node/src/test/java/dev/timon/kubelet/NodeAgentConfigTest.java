package dev.timon.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NodeAgentConfigTest {
    private static final String[] REQUIRED = {"--kubeconfig", "k", "--node-name", "n", "--containerd-socket", "s",
        "--data-dir", "d", "--pod-cidr", "10.244.0.0/24"};

    private static NodeAgentConfig parse(String... extra) {
        String[] args = new String[REQUIRED.length + extra.length];
        System.arraycopy(REQUIRED, 0, args, 0, REQUIRED.length);
        System.arraycopy(extra, 0, args, REQUIRED.length, extra.length);
        return NodeAgentConfig.fromArgs(args);
    }

    @Test
    void syncFrequencyDefaultsToAMinuteAndTakesGoDurations() {
        assertEquals(Duration.ofMinutes(1), parse().syncFrequency());
        assertEquals(Duration.ofSeconds(90), parse("--sync-frequency", "1m30s").syncFrequency());
        assertEquals(Duration.ofMillis(500), parse("--sync-frequency", "500ms").syncFrequency());
    }

    @Test
    void aMalformedSyncFrequencyIsRefused() {
        for (String bad : new String[] {"", "10", "1x", "0s", "m1", "1m 2s"}) {
            assertThrows(IllegalArgumentException.class, () -> parse("--sync-frequency", bad), bad);
        }
    }
}
