package dev.timon.storage;

import dev.timon.registry.ResourceDefinition;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

/**
 * The API server's in-memory view of etcd: one etcd watch over the whole registry keeps a
 * {@link ResourceCache} per resource current, serves lists and fans every change out to all API watchers,
 * so no client ever costs an etcd watch of its own. Consistent reads wait until the cache has caught up
 * with etcd's newest revision. The cache holds objects in their stored form: a definition that is a view of
 * another's storage shares that cache, and its callers convert with {@link CachedObject#as}.
 */
public final class WatchCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WatchCache.class);
    static final String ROOT = "/registry/";
    private static final long FRESHNESS_TIMEOUT_MS = 3_000;

    /** A page read from the cache with the revision it reflects. */
    public record Page(List<CachedObject> items, long revision, boolean more) {
    }

    private record Waiter(long revision, CompletableFuture<Void> done, long deadline) {
    }

    private final EtcdStore store;
    private final Map<String, ResourceCache> byStoragePrefix = new HashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>((a, b) -> Long.compare(a.revision, b.revision));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "watch-cache-timer");
        t.setDaemon(true);
        return t;
    });
    private volatile long revision;
    private CompletableFuture<Long> nextProbe;
    private boolean probeInFlight;
    private volatile Watch.Watcher etcdWatch;
    private volatile boolean closed;

    public WatchCache(EtcdStore store, Collection<ResourceDefinition<?>> definitions) {
        this.store = store;
        definitions.forEach(d -> byStoragePrefix.putIfAbsent(d.storagePrefix(), new ResourceCache(d.storage())));
        timers.scheduleWithFixedDelay(this::tendWaiters, 50, 50, TimeUnit.MILLISECONDS);
    }

    /** Lists the whole registry at one revision, then follows etcd from the next one. */
    public CompletableFuture<Void> start() {
        return store.listAll(ROOT, null, 0).thenAccept(page -> {
            Map<ResourceCache, List<CachedObject>> initial = new HashMap<>();
            byStoragePrefix.values().forEach(c -> initial.put(c, new ArrayList<>()));
            for (StoredValue v : page.items()) {
                ResourceCache cache = cacheForKey(v.key());
                if (cache != null) {
                    decode(cache, v.key(), v.value(), v.modRevision()).ifPresent(o -> initial.get(cache).add(o));
                }
            }
            lock.writeLock().lock();
            try {
                initial.forEach((cache, objects) -> cache.reset(objects, page.revision()));
                revision = page.revision();
            } finally {
                lock.writeLock().unlock();
            }
            etcdWatch = store.watchPrefix(ROOT, page.revision() + 1, this::dispatch, this::watchFailed);
            LOG.info("watch cache started at revision {} with {} objects", page.revision(), page.items().size());
            releaseWaiters(); // reads that waited through a re-list may already be served
        });
    }

    public long revision() {
        return revision;
    }

    public ResourceCache cache(ResourceDefinition<?> definition) {
        return byStoragePrefix.get(definition.storagePrefix());
    }

    /** Completes once the cache reflects etcd's newest revision, with that revision. */
    public CompletableFuture<Long> waitUntilFresh() {
        return newestRevision().thenCompose(r -> waitFor(r).thenApply(v -> Math.max(r, revision)));
    }

    /**
     * etcd's newest revision, read by a probe sent after this call: concurrent callers share one probe, so a
     * burst of consistent reads costs etcd one request instead of one each. A caller arriving while a probe
     * is in flight waits for the next one, which starts after it arrived, so every read stays linearizable.
     */
    private synchronized CompletableFuture<Long> newestRevision() {
        if (nextProbe == null) {
            nextProbe = new CompletableFuture<>();
        }
        CompletableFuture<Long> answer = nextProbe;
        if (!probeInFlight) {
            sendProbe();
        }
        return answer;
    }

    private synchronized void sendProbe() {
        CompletableFuture<Long> answering = nextProbe;
        nextProbe = null;
        probeInFlight = true;
        store.currentRevision().whenComplete((rev, error) -> {
            synchronized (this) {
                probeInFlight = false;
                if (nextProbe != null) {
                    sendProbe();
                }
            }
            if (error != null) {
                answering.completeExceptionally(error);
            } else {
                answering.complete(rev);
            }
        });
    }

    /** Completes once the cache has applied {@code target}; fails with a TimeoutException after 3 s. */
    public CompletableFuture<Void> waitFor(long target) {
        if (revision >= target) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (waiters) {
            waiters.add(new Waiter(target, done, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FRESHNESS_TIMEOUT_MS)));
        }
        releaseWaiters();
        return done;
    }

    /**
     * Every 50 ms while reads wait: asks etcd for a progress notify, and fails the waits past their deadline. A write
     * outside the registry moves etcd's revision without an event for us, and only a progress notify tells us; one
     * request per wait was not enough, as a request sent while the etcd watch is still being set up goes unanswered
     * (a GET right after a start then waited out its 3 s).
     */
    private void tendWaiters() {
        long now = System.nanoTime();
        List<Waiter> expired = new ArrayList<>();
        boolean waiting;
        synchronized (waiters) {
            waiting = !waiters.isEmpty();
            waiters.removeIf(w -> now - w.deadline > 0 && expired.add(w));
        }
        Watch.Watcher watch = etcdWatch;
        if (waiting && watch != null) {
            try {
                watch.requestProgress();
            } catch (RuntimeException e) {
                // A watch being replaced (see watchFailed): the next tick asks its successor. Throwing here would
                // end the periodic task, and with it every wait's deadline.
                LOG.debug("progress request failed: {}", e.toString());
            }
        }
        expired.forEach(w -> w.done.completeExceptionally(new TimeoutException("too large resource version: "
                + w.revision + ", current: " + revision)));
    }

    public Page list(ResourceDefinition<?> definition, String namespace, String afterKey, int limit,
                     Predicate<CachedObject> filter) {
        lock.readLock().lock();
        try {
            boolean[] more = {false};
            List<CachedObject> items = cache(definition).list(definition.keyPrefix(namespace), afterKey, limit, filter, more);
            return new Page(items, revision, more[0]);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * One object, without the lock: it never waits behind a fan-out. Changes are applied before
     * {@link #revision} moves past them, so a reader that saw a revision sees every change up to it.
     */
    public Optional<CachedObject> get(ResourceDefinition<?> definition, String key) {
        return Optional.ofNullable(cache(definition).get(key));
    }

    /** Every cached object of a resource, e.g. to see which reservations are taken. */
    public List<CachedObject> all(ResourceDefinition<?> definition) {
        lock.readLock().lock();
        try {
            return cache(definition).all();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Starts a watch on one resource; see {@link ResourceCache#subscribe}. Returns false when the revision
     * is too old. The read lock keeps dispatch out while the watcher catches up.
     */
    public boolean watch(ResourceDefinition<?> definition, long fromRevision, CacheWatcher watcher) {
        lock.readLock().lock();
        try {
            return cache(definition).subscribe(fromRevision, revision, watcher);
        } finally {
            lock.readLock().unlock();
        }
    }

    public void unwatch(ResourceDefinition<?> definition, CacheWatcher watcher) {
        cache(definition).unsubscribe(watcher);
    }

    public int watcherCount(ResourceDefinition<?> definition) {
        return cache(definition).watcherCount();
    }

    private void dispatch(WatchResponse response) {
        long responseRevision = response.getHeader().getRevision();
        if (!response.getEvents().isEmpty()) {
            List<Runnable> applies = new ArrayList<>(response.getEvents().size());
            long last = revision;
            for (WatchEvent event : response.getEvents()) {
                String key = event.getKeyValue().getKey().toString(StandardCharsets.UTF_8);
                ResourceCache cache = cacheForKey(key);
                last = Math.max(last, event.getKeyValue().getModRevision());
                if (cache != null) {
                    toCacheEvent(cache, key, event).ifPresent(e -> applies.add(() -> cache.apply(e)));
                }
            }
            lock.writeLock().lock();
            try {
                applies.forEach(Runnable::run);
                revision = Math.max(last, revision);
            } finally {
                lock.writeLock().unlock();
            }
        } else if (response.isProgressNotify() && responseRevision > revision) {
            revision = responseRevision;
        }
        releaseWaiters();
    }

    private Optional<CacheEvent> toCacheEvent(ResourceCache cache, String key, WatchEvent event) {
        KeyValue kv = event.getKeyValue();
        long rev = kv.getModRevision();
        KeyValue prevKv = event.getPrevKV();
        CachedObject held = cache.get(key);
        // The cache normally holds exactly the version etcd reports as previous: decoding etcd's copy again cost a
        // full parse and encode per event.
        CachedObject previous = prevKv == null || prevKv.getValue().isEmpty()
                || (held != null && held.revision() == prevKv.getModRevision()) ? held
                : decode(cache, key, prevKv.getValue().getBytes(), prevKv.getModRevision()).orElse(null);
        if (event.getEventType() == WatchEvent.EventType.DELETE) {
            if (previous == null) {
                return Optional.empty();
            }
            // A value admitted undecoded (see CachedObject) may not decode now: it still leaves the cache.
            CachedObject last = decode(cache, key, previous.json(), rev).orElse(previous);
            return Optional.of(new CacheEvent(WatchEventType.DELETED, last, previous, rev));
        }
        return decode(cache, key, kv.getValue().getBytes(), rev).map(o ->
                new CacheEvent(previous == null ? WatchEventType.ADDED : WatchEventType.MODIFIED, o, previous, rev));
    }

    private Optional<CachedObject> decode(ResourceCache cache, String key, byte[] value, long rev) {
        try {
            return Optional.of(CachedObject.decode(key, value, rev, cache.definition().type()));
        } catch (RuntimeException e) {
            LOG.warn("skipping undecodable object at {}: {}", key, e.getMessage());
            return Optional.empty();
        }
    }

    private void releaseWaiters() {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        synchronized (waiters) {
            while (!waiters.isEmpty() && (waiters.peek().revision <= revision || waiters.peek().done.isDone())) {
                ready.add(waiters.poll().done);
            }
        }
        ready.forEach(f -> f.complete(null));
    }

    /** A broken etcd watch (etcd restarted, or compacted past us) means re-listing from scratch. */
    private void watchFailed(Throwable error) {
        if (closed) {
            return;
        }
        LOG.warn("etcd watch failed ({}); re-listing", error.toString());
        Watch.Watcher old = etcdWatch;
        if (old != null) {
            old.close();
        }
        timers.schedule(() -> start().exceptionally(e -> {
            watchFailed(e);
            return null;
        }), 1, TimeUnit.SECONDS);
    }

    private ResourceCache cacheForKey(String key) {
        int end = key.indexOf('/', ROOT.length());
        return end < 0 ? null : byStoragePrefix.get(key.substring(ROOT.length(), end));
    }

    @Override
    public void close() {
        closed = true;
        if (etcdWatch != null) {
            etcdWatch.close();
        }
        timers.shutdownNow();
    }
}
