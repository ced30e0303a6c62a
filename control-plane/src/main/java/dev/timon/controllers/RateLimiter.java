package dev.timon.controllers;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How long a failed key waits before its retry: exponential per key (so one broken object backs off alone),
 * and at least as long as an overall token bucket allows (so many failing keys cannot flood the API server).
 * Upstream's DefaultControllerRateLimiter: 5 ms doubling to 1000 s, 10 retries/s with bursts of 100.
 */
public final class RateLimiter<K> {

    private final long baseNanos;
    private final long maxNanos;
    private final double tokensPerNano;
    private final double burst;
    private final Map<K, Integer> failures = new HashMap<>();
    private double tokens;
    private long lastRefill = System.nanoTime();

    public RateLimiter(Duration base, Duration max, double perSecond, int burst) {
        this.baseNanos = base.toNanos();
        this.maxNanos = max.toNanos();
        this.tokensPerNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
    }

    public static <K> RateLimiter<K> controllerDefault() {
        return new RateLimiter<>(Duration.ofMillis(5), Duration.ofSeconds(1000), 10, 100);
    }

    /** The delay before the next retry of a key; each call counts as one more failure. */
    public synchronized Duration when(K key) {
        int failed = failures.merge(key, 1, Integer::sum) - 1;
        long perKey = failed >= 40 ? maxNanos : Math.min(maxNanos, baseNanos << Math.min(failed, 40));
        if (perKey < 0) {
            perKey = maxNanos;
        }
        return Duration.ofNanos(Math.max(perKey, reserveToken()));
    }

    /** Nanoseconds until a token is free, taking it. */
    private long reserveToken() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - lastRefill) * tokensPerNano);
        lastRefill = now;
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) (-tokens / tokensPerNano);
    }

    public synchronized void forget(K key) {
        failures.remove(key);
    }

    public synchronized int failures(K key) {
        return failures.getOrDefault(key, 0);
    }
}
