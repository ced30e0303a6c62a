package dev.timon.apiserver.protobuf;

/** Formats nanoseconds as Go's {@code time.Duration.String()} does, which is how Kubernetes JSON shows durations. */
final class GoDuration {

    private static final long MICRO = 1_000L;
    private static final long MILLI = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private GoDuration() {
    }

    static String format(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        String sign = nanos < 0 ? "-" : "";
        long n = Math.abs(nanos);
        if (n < SECOND) {
            if (n < MICRO) {
                return sign + n + "ns";
            }
            if (n < MILLI) {
                return sign + fraction(n, MICRO) + "µs";
            }
            return sign + fraction(n, MILLI) + "ms";
        }
        long hours = n / (3600 * SECOND);
        long minutes = n / (60 * SECOND) % 60;
        String seconds = fraction(n % (60 * SECOND), SECOND) + "s";
        if (hours > 0) {
            return sign + hours + "h" + minutes + "m" + seconds;
        }
        return sign + (minutes > 0 ? minutes + "m" : "") + seconds;
    }

    /** {@code value / unit} with the remainder as a decimal fraction without trailing zeros. */
    private static String fraction(long value, long unit) {
        long whole = value / unit;
        long rest = value % unit;
        if (rest == 0) {
            return Long.toString(whole);
        }
        String digits = String.format("%0" + (Long.toString(unit).length() - 1) + "d", rest).replaceAll("0+$", "");
        return whole + "." + digits;
    }
}
