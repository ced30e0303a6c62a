package dev.timon.kubelet.server;

import io.vertx.core.MultiMap;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The query of {@code /containerLogs}, as kubectl's PodLogOptions sends it.
 *
 * @param tailLines  lines from the end, or -1 for all
 * @param since      first time to show, or null
 * @param limitBytes bytes to send at most, or -1
 */
record LogOptions(boolean follow, long tailLines, Instant since, boolean timestamps, long limitBytes, boolean previous) {

    static LogOptions parse(MultiMap params, Instant now) {
        Instant since = null;
        if (params.contains("sinceSeconds")) {
            since = now.minusSeconds(positive(params, "sinceSeconds"));
        } else if (params.contains("sinceTime")) {
            try {
                since = Instant.parse(params.get("sinceTime"));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("sinceTime: not an RFC3339 time: " + params.get("sinceTime"));
            }
        }
        return new LogOptions(flag(params, "follow"), params.contains("tailLines") ? positive(params, "tailLines") : -1,
                since, flag(params, "timestamps"), params.contains("limitBytes") ? positive(params, "limitBytes") : -1,
                flag(params, "previous"));
    }

    static boolean flag(MultiMap params, String name) {
        String value = params.get(name);
        return "true".equals(value) || "1".equals(value);
    }

    private static long positive(MultiMap params, String name) {
        try {
            long value = Long.parseLong(params.get(name));
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + ": must be a non-negative integer, not " + params.get(name));
    }
}
