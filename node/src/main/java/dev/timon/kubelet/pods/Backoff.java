package dev.timon.kubelet.pods;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exponential back-off per key, like upstream's flowcontrol.Backoff: the first retry is free, then the
 * delay starts at {@code initial} and doubles up to {@code max}; an entry idle for twice the maximum resets.
 */
public final class Backoff {
    private record Entry(Duration delay, Instant lastUpdate) {
    }

    private final Duration initial;
    private final Duration max;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    public Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    /** The time until which {@code key} must wait after an event at {@code since}, or null when it may go now. */
    public Instant blockedUntil(String key, Instant since) {
        var entry = entries.get(key);
        if (entry == null || expired(entry, Instant.now())) {
            return null;
        }
        var until = since.plus(entry.delay());
        return Instant.now().isBefore(until) ? until : null;
    }

    /** Records an attempt for {@code key}: the next wait doubles. */
    public void next(String key) {
        var now = Instant.now();
        entries.compute(key, (k, entry) -> entry == null || expired(entry, now)
                ? new Entry(initial, now)
                : new Entry(entry.delay().multipliedBy(2).compareTo(max) > 0 ? max : entry.delay().multipliedBy(2), now));
    }

    public void forgetPrefix(String prefix) {
        entries.keySet().removeIf(key -> key.startsWith(prefix));
    }

    private boolean expired(Entry entry, Instant now) {
        return entry.lastUpdate().plus(max.multipliedBy(2)).isBefore(now);
    }
}
