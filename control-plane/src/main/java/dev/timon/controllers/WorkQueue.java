package dev.timon.controllers;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A queue of keys with upstream's workqueue guarantees: a key is queued at most once however often it is added,
 * and never handed to two workers at once (a key added while being processed is queued again when done).
 * Keys can also be added after a delay or after a per-key rate-limited back-off.
 */
public final class WorkQueue<K> {

    private static final ScheduledExecutorService DELAYS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "workqueue-delays");
        thread.setDaemon(true);
        return thread;
    });

    private final RateLimiter<K> rateLimiter;
    private final ArrayDeque<K> queue = new ArrayDeque<>();
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();
    /** Earliest time (nanoTime) a delayed key is due, so repeated delayed adds schedule it once. */
    private final Map<K, Long> waiting = new ConcurrentHashMap<>();
    private boolean shutDown;

    public WorkQueue(RateLimiter<K> rateLimiter) {
        this.rateLimiter = rateLimiter;
    }

    public synchronized void add(K key) {
        if (shutDown || !dirty.add(key) || processing.contains(key)) {
            return;
        }
        queue.add(key);
        notify();
    }

    public void addAfter(K key, Duration delay) {
        long nanos = delay.toNanos();
        if (nanos <= 0) {
            add(key);
            return;
        }
        long due = System.nanoTime() + nanos;
        Long previous = waiting.merge(key, due, Math::min);
        if (previous != due) {
            return; // an earlier (or equal) add is already scheduled
        }
        DELAYS.schedule(() -> {
            if (waiting.remove(key, due)) {
                add(key);
            }
        }, nanos, TimeUnit.NANOSECONDS);
    }

    /** Re-adds a key after its back-off: call when processing it failed. */
    public void addRateLimited(K key) {
        addAfter(key, rateLimiter.when(key));
    }

    /** Clears a key's back-off: call when processing it succeeded. */
    public void forget(K key) {
        rateLimiter.forget(key);
    }

    public int failures(K key) {
        return rateLimiter.failures(key);
    }

    /** The next key to process, blocking; null once shut down. The caller must call {@link #done}. */
    public synchronized K take() throws InterruptedException {
        while (queue.isEmpty() && !shutDown) {
            wait();
        }
        if (shutDown) {
            return null;
        }
        K key = queue.poll();
        processing.add(key);
        dirty.remove(key);
        return key;
    }

    public synchronized void done(K key) {
        processing.remove(key);
        if (dirty.contains(key)) {
            queue.add(key);
            notify();
        }
    }

    public synchronized int length() {
        return queue.size();
    }

    public synchronized void shutDown() {
        shutDown = true;
        notifyAll();
    }
}
