package dev.timon.storage;

import dev.timon.registry.ResourceDefinition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

/**
 * The cached state and recent history of one resource. Changes run under the {@link WatchCache}'s write
 * lock and lists and watch starts under its read lock, so a list, its revision and the start of a watch
 * always agree; a single-object {@link #get} needs no lock (the items map is concurrent), so a read never
 * waits behind a fan-out.
 */
public final class ResourceCache {

    /** Events kept for watches that resume from an older resourceVersion. */
    static final int HISTORY_CAPACITY = 10_000;

    private final ResourceDefinition<?> definition;
    private final ConcurrentSkipListMap<String, CachedObject> items = new ConcurrentSkipListMap<>();
    private final ArrayDeque<CacheEvent> history = new ArrayDeque<>();
    private final Set<CacheWatcher> watchers = ConcurrentHashMap.newKeySet();
    /** A watch from any revision at or after this one can be served from {@link #history}. */
    private long oldestResumable;

    ResourceCache(ResourceDefinition<?> definition) {
        this.definition = definition;
    }

    public ResourceDefinition<?> definition() {
        return definition;
    }

    /** Objects whose key starts with {@code keyPrefix} and comes after {@code afterKey}, in key order. */
    List<CachedObject> list(String keyPrefix, String afterKey, int limit, Predicate<CachedObject> filter, boolean[] more) {
        NavigableMap<String, CachedObject> range = items.tailMap(afterKey == null ? keyPrefix : afterKey, afterKey == null);
        List<CachedObject> page = new ArrayList<>();
        for (Map.Entry<String, CachedObject> e : range.entrySet()) {
            if (!e.getKey().startsWith(keyPrefix)) {
                break;
            }
            if (filter.test(e.getValue())) {
                if (limit > 0 && page.size() == limit) {
                    more[0] = true;
                    break;
                }
                page.add(e.getValue());
            }
        }
        return page;
    }

    CachedObject get(String key) {
        return items.get(key);
    }

    List<CachedObject> all() {
        return new ArrayList<>(items.values());
    }

    void reset(List<CachedObject> objects, long revision) {
        items.clear();
        objects.forEach(o -> items.put(o.key(), o));
        history.clear();
        oldestResumable = revision;
        watchers.forEach(w -> w.onTerminated("the watch cache was re-listed"));
        watchers.clear();
    }

    void apply(CacheEvent event) {
        if (event.type() == WatchEventType.DELETED) {
            items.remove(event.object().key());
        } else {
            items.put(event.object().key(), event.object());
        }
        history.addLast(event);
        if (history.size() > HISTORY_CAPACITY) {
            oldestResumable = history.removeFirst().revision();
        }
        for (CacheWatcher watcher : watchers) {
            watcher.onEvent(event);
        }
        // Watchers filter synchronously above; from here on the superseded versions serve only from history.
        if (event.previous() != null) {
            event.previous().release();
        }
        if (event.type() == WatchEventType.DELETED) {
            event.object().release();
        }
    }

    /**
     * Starts a watch. With {@code fromRevision} < 0 the watcher first gets a synthetic ADDED per current
     * object; otherwise it gets every kept event after {@code fromRevision}.
     *
     * @return false when {@code fromRevision} is older than the kept history (the client must re-list)
     */
    boolean subscribe(long fromRevision, long cacheRevision, CacheWatcher watcher) {
        if (fromRevision < 0) {
            for (CachedObject o : items.values()) {
                watcher.onEvent(new CacheEvent(WatchEventType.ADDED, o, null, cacheRevision));
            }
        } else {
            if (fromRevision < oldestResumable) {
                return false;
            }
            for (CacheEvent e : history) {
                if (e.revision() > fromRevision) {
                    watcher.onEvent(e);
                }
            }
        }
        watchers.add(watcher);
        return true;
    }

    void unsubscribe(CacheWatcher watcher) {
        watchers.remove(watcher);
    }

    int watcherCount() {
        return watchers.size();
    }
}
