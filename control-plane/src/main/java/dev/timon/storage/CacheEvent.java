package dev.timon.storage;

/**
 * One change as the cache saw it. For DELETED, {@code object} is the last state stamped with the revision
 * of the deletion; {@code previous} is the state before the change (null for ADDED), so a watcher with a
 * selector can tell an object entering or leaving its view.
 */
public record CacheEvent(WatchEventType type, CachedObject object, CachedObject previous, long revision) {
}
