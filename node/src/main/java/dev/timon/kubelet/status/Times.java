package dev.timon.kubelet.status;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Kubernetes time formats: RFC 3339 in whole seconds, as the API stores metav1.Time. */
public final class Times {
    private Times() {
    }

    public static String format(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    public static String now() {
        return format(Instant.now());
    }

    /** CRI timestamps are nanoseconds since the epoch. */
    public static String fromNanos(long nanos) {
        return format(Instant.ofEpochSecond(0, nanos));
    }
}
