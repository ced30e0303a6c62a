package dev.timon.registry.printers;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Ages and durations in the short human form kubectl users know ("45s", "2m5s", "3h", "4d2h", "3y45d").
 * Mirrors apimachinery's duration.HumanDuration so columns read the same as on a real cluster.
 */
public final class Ages {

    private Ages() {
    }

    /** The elapsed time since {@code timestamp} (RFC 3339), or "&lt;unknown&gt;" when there is none. */
    public static String age(String timestamp, Instant now) {
        Instant then = parse(timestamp);
        return then == null ? CommonColumns.UNKNOWN : humanDuration(Duration.between(then, now));
    }

    /**
     * About two significant figures of {@code d}. A clock skew of up to one second still reads "0s"; anything
     * further in the future is "&lt;invalid&gt;".
     */
    public static String humanDuration(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < 0 && d.getNano() > 0) {
            seconds++; // Go's int(d.Seconds()) truncates toward zero; Duration floors
        }
        if (seconds < -1) {
            return "<invalid>";
        }
        if (seconds < 0) {
            return "0s";
        }
        if (seconds < 120) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            return withRemainder(minutes, "m", seconds % 60, "s");
        }
        if (minutes < 180) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 8) {
            return withRemainder(hours, "h", minutes % 60, "m");
        }
        if (hours < 48) {
            return hours + "h";
        }
        long days = hours / 24;
        if (hours < 24 * 8) {
            return withRemainder(days, "d", hours % 24, "h");
        }
        if (hours < 24 * 365 * 2) {
            return days + "d";
        }
        long years = days / 365;
        if (hours < 24 * 365 * 8) {
            return withRemainder(years, "y", days % 365, "d");
        }
        return years + "y";
    }

    /** Parses an RFC 3339 timestamp (with or without fractional seconds); null when absent or malformed. */
    static Instant parse(String timestamp) {
        if (timestamp == null || timestamp.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(timestamp).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String withRemainder(long major, String majorUnit, long minor, String minorUnit) {
        return minor == 0 ? major + majorUnit : major + majorUnit + minor + minorUnit;
    }
}
