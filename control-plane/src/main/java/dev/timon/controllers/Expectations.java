package dev.timon.controllers;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creations and deletions a controller has asked for but not yet seen in its informer cache (upstream's
 * UIDTrackingControllerExpectations). A controller skips acting on a key until they are observed, so a cache
 * that lags behind its own writes does not make it create or delete twice. Expectations expire after 5 minutes
 * in case an event is never seen.
 */
public final class Expectations {

    private static final long TTL_NANOS = 5L * 60 * 1_000_000_000L;

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    private static final class Pending {
        int creations;
        final Set<String> deletions = new HashSet<>();
        final long since = System.nanoTime();
    }

    /** Whether nothing is outstanding for the key, so the controller may act on what its cache shows. */
    public boolean satisfied(String key) {
        Pending p = pending.get(key);
        if (p == null) {
            return true;
        }
        synchronized (p) {
            return (p.creations <= 0 && p.deletions.isEmpty()) || System.nanoTime() - p.since > TTL_NANOS;
        }
    }

    public void expectCreations(String key, int count) {
        Pending p = new Pending();
        p.creations = count;
        pending.put(key, p);
    }

    /** Deletions are tracked by the deleted objects' keys, so seeing the same deletion twice counts once. */
    public void expectDeletions(String key, Collection<String> objectKeys) {
        Pending p = new Pending();
        p.deletions.addAll(objectKeys);
        pending.put(key, p);
    }

    /** A creation was seen in the cache, or will never happen because the request failed. */
    public void creationObserved(String key) {
        Pending p = pending.get(key);
        if (p != null) {
            synchronized (p) {
                p.creations--;
            }
        }
    }

    public void deletionObserved(String key, String objectKey) {
        Pending p = pending.get(key);
        if (p != null) {
            synchronized (p) {
                p.deletions.remove(objectKey);
            }
        }
    }

    public void forget(String key) {
        pending.remove(key);
    }
}
