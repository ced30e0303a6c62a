package dev.timon.apimachinery;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as upstream's command-line flags write them (Go's time.ParseDuration): 90s, 1m30s, 1h, 500ms. */
public final class GoDuration {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    private GoDuration() {
    }

    /** A positive duration for the flag {@code flag}; anything else is refused, naming the flag. */
    public static Duration parse(String flag, String value) {
        Matcher part = PART.matcher(value);
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.find() && part.start() == end) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            });
            end = part.end();
        }
        if (end == 0 || end != value.length() || total.isZero()) {
            throw new IllegalArgumentException(flag + ": not a positive duration (such as 90s, 1m30s or 1h): " + value);
        }
        return total;
    }
}
