package dev.timon.controllers.cronjob;

import java.time.DayOfWeek;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A standard five-field cron schedule (minute hour day-of-month month day-of-week) with the syntax the
 * CronJob controller accepts: {@code *}, {@code ?}, ranges, steps, lists, month and weekday names and the
 * {@code @hourly}-style descriptors. When both day fields are restricted a day matches either of them;
 * when one is {@code *} both must match (the classic cron rule, which upstream follows).
 */
public final class CronSchedule {

    private static final Map<String, String> DESCRIPTORS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    private static final String[] WEEKDAYS = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    /** No schedule needs more than this to find its next time; anything longer never matches (e.g. Feb 30). */
    private static final int SEARCH_YEARS = 5;

    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private CronSchedule(Field[] fields) {
        this.minutes = fields[0].values;
        this.hours = fields[1].values;
        this.daysOfMonth = fields[2].values;
        this.months = fields[3].values;
        this.daysOfWeek = fields[4].values;
        this.anyDayOfMonth = fields[2].star;
        this.anyDayOfWeek = fields[4].star;
    }

    /** Parses a schedule; throws IllegalArgumentException with a message fit for an InvalidSchedule event. */
    public static CronSchedule parse(String expression) {
        String spec = expression == null ? "" : expression.trim();
        if (spec.startsWith("@")) {
            String expanded = DESCRIPTORS.get(spec.toLowerCase(Locale.ROOT));
            if (expanded == null) {
                throw new IllegalArgumentException("unrecognized descriptor: " + spec);
            }
            spec = expanded;
        }
        String[] parts = spec.split("\\s+");
        if (parts.length != 5) {
            throw new IllegalArgumentException("expected exactly 5 fields, found " + (spec.isEmpty() ? 0 : parts.length)
                    + ": " + spec);
        }
        return new CronSchedule(new Field[]{
                Field.parse(parts[0], 0, 59, null),
                Field.parse(parts[1], 0, 23, null),
                Field.parse(parts[2], 1, 31, null),
                Field.parse(parts[3], 1, 12, MONTHS),
                Field.parse(parts[4], 0, 6, WEEKDAYS)});
    }

    /** The first time strictly after {@code after} at which the schedule fires, in {@code zone}. */
    public Optional<ZonedDateTime> next(ZonedDateTime after, ZoneId zone) {
        ZonedDateTime t = after.withZoneSameInstant(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        ZonedDateTime limit = t.plusYears(SEARCH_YEARS);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
            } else if (!dayMatches(t)) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
            } else {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * The latest fire time in (earliest, now] and how many fire times that interval holds (counting stops just
     * past {@code countLimit}: callers only need to know the limit was passed), or empty when none falls in it.
     */
    public Optional<Missed> mostRecent(ZonedDateTime earliest, ZonedDateTime now, ZoneId zone, int countLimit) {
        ZonedDateTime latest = null;
        int count = 0;
        for (Optional<ZonedDateTime> t = next(earliest, zone); t.isPresent() && !t.get().isAfter(now);
             t = next(t.get(), zone)) {
            latest = t.get();
            count = Math.min(count + 1, countLimit + 1);
        }
        return latest == null ? Optional.empty() : Optional.of(new Missed(latest, count));
    }

    /** The most recent unmet fire time and how many were missed. */
    public record Missed(ZonedDateTime time, int count) {
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
        return anyDayOfMonth || anyDayOfWeek ? dom && dow : dom || dow;
    }

    /** One field's allowed values; star records an unrestricted field (a stepped {@code *} counts as restricted). */
    private record Field(BitSet values, boolean star) {

        static Field parse(String text, int min, int max, String[] names) {
            BitSet values = new BitSet(max + 1);
            boolean star = false;
            for (String item : text.split(",", -1)) {
                String[] rangeAndStep = item.split("/", -1);
                if (rangeAndStep.length > 2) {
                    throw new IllegalArgumentException("too many slashes: " + item);
                }
                String range = rangeAndStep[0];
                int step = rangeAndStep.length == 2 ? number(rangeAndStep[1], item) : 1;
                if (step <= 0) {
                    throw new IllegalArgumentException("step of range should be a positive number: " + item);
                }
                int low;
                int high;
                if (range.equals("*") || range.equals("?")) {
                    low = min;
                    high = max;
                    star |= step == 1;
                } else {
                    String[] bounds = range.split("-", -1);
                    if (bounds.length > 2) {
                        throw new IllegalArgumentException("too many hyphens: " + item);
                    }
                    low = value(bounds[0], names, min, item);
                    // "N/step" means from N to the field's end.
                    high = bounds.length == 2 ? value(bounds[1], names, min, item) : rangeAndStep.length == 2 ? max : low;
                }
                if (low < min || high > max || low > high) {
                    throw new IllegalArgumentException("value out of range (" + min + " to " + max + "): " + item);
                }
                for (int v = low; v <= high; v += step) {
                    values.set(v);
                }
            }
            return new Field(values, star);
        }

        private static int value(String text, String[] names, int min, String item) {
            if (names != null) {
                for (int i = 0; i < names.length; i++) {
                    if (names[i].equalsIgnoreCase(text)) {
                        return i + min;
                    }
                }
            }
            return number(text, item);
        }

        private static int number(String text, String item) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("failed to parse int from " + text + ": " + item);
            }
        }
    }
}
