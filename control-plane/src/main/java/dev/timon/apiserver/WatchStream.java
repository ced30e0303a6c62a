package dev.timon.apiserver;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apimachinery.ApiException;
import dev.timon.apimachinery.Json;
import dev.timon.registry.ResourceDefinition;
import dev.timon.storage.CacheEvent;
import dev.timon.storage.CacheWatcher;
import dev.timon.storage.CachedObject;
import dev.timon.storage.WatchCache;
import dev.timon.storage.WatchEventType;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One client's watch: {"type":...,"object":...} events fed by the watch cache into a {@link WatchOutput} (a
 * chunked HTTP response or a WebSocket). The filter sees stored objects; what is sent is converted to the watched
 * definition's form when that is a view of another's storage. A selector
 * turns an object entering the view into ADDED and one leaving it into DELETED, as upstream does.
 * <p>
 * The watch cache's dispatch thread encodes each event and queues it here; the connection's event loop writes the
 * queue out while the connection takes it. A client more than {@link #MAX_PENDING_BYTES} behind is cut off (it
 * watches again from its last revision, or re-lists), so one slow reader never holds back the others nor
 * fills the heap. (Writing from the dispatch thread straight into Vert.x's connection, as before, counted a
 * client behind after 16 queued messages, whatever their size: with the event loops busy, the in-process informers
 * were cut off 190-275 times per scheduler benchmark run, and resent what they had not read; none since.)
 */
final class WatchStream implements CacheWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(WatchStream.class);
    private static final byte[] PREFIX_END = "\"object\":".getBytes(StandardCharsets.UTF_8);
    private static final long BOOKMARK_INTERVAL_MS = 5_000;
    /** How far behind a client may fall (about 1,500 pod events) before it is cut off. */
    static final long MAX_PENDING_BYTES = 4L * 1024 * 1024;

    private final Vertx vertx;
    private final Context context;
    private final WatchCache cache;
    private final ResourceDefinition<?> def;
    private final WatchOutput output;
    private final Predicate<CachedObject> filter;
    private final Tables.IncludeObject tableRows;
    private final boolean bookmarks;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Encoded events not yet written, in order, and their size. */
    private final Queue<byte[]> pending = new ConcurrentLinkedQueue<>();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** The most that may be queued: unbounded while the initial events are queued (upstream sends those whatever
     * their size), then {@link #MAX_PENDING_BYTES} beyond them. */
    private volatile long maxPendingBytes = Long.MAX_VALUE;
    private volatile long lastRevision;
    private long timeoutTimer = -1;
    private long bookmarkTimer = -1;

    /** Created on the connection's event loop. @param tableRows non-null when the client asked for Table events */
    WatchStream(Vertx vertx, WatchCache cache, ResourceDefinition<?> def, WatchOutput output,
                Predicate<CachedObject> filter, Tables.IncludeObject tableRows, boolean bookmarks) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.cache = cache;
        this.def = def;
        this.output = output;
        this.filter = filter;
        this.tableRows = tableRows;
        this.bookmarks = bookmarks;
    }

    /** Sends the headers, subscribes from {@code fromRevision} (-1: current state first) and arms the timers. */
    void start(long fromRevision, long timeoutSeconds) {
        output.onClose(this::stop);
        lastRevision = Math.max(fromRevision, 0);
        boolean subscribed = cache.watch(def, fromRevision, this);
        maxPendingBytes = MAX_PENDING_BYTES + pendingBytes.get();
        if (!subscribed) {
            writeError(ApiException.gone("too old resource version: " + fromRevision + " (" + cache.revision() + ")"));
            return;
        }
        output.open();
        timeoutTimer = vertx.setTimer(timeoutSeconds * 1000, id -> stop());
        if (bookmarks) {
            bookmarkTimer = vertx.setPeriodic(BOOKMARK_INTERVAL_MS, id -> bookmark());
        }
    }

    @Override
    public void onEvent(CacheEvent event) {
        if (closed.get()) {
            return;
        }
        boolean now = event.type() != WatchEventType.DELETED && filter.test(event.object());
        boolean before = event.previous() != null && filter.test(event.previous());
        WatchEventType type = event.type();
        if (type == WatchEventType.MODIFIED && now != before) {
            type = now ? WatchEventType.ADDED : WatchEventType.DELETED;
        } else if (type == WatchEventType.DELETED ? !filter.test(event.object()) : !now) {
            return;
        }
        enqueue(encode(type, event.object().as(def)));
        // Only once the event is queued: a BOOKMARK built in between would carry its revision ahead of it, and a
        // client cut off before the event reached it would resume past the event and never see it.
        lastRevision = event.revision();
    }

    private void enqueue(byte[] line) {
        if (pendingBytes.addAndGet(line.length) > maxPendingBytes) {
            // As upstream's watch cache logs it: a client that keeps being cut off reads too slowly for its load.
            LOG.info("closing a watch of {} that is {} bytes behind", def.plural(), pendingBytes.get());
            stop();
            return;
        }
        pending.add(line);
        if (drainScheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> drain());
        }
    }

    /** On the event loop: writes what is queued while the connection takes it, and resumes once it drains. */
    private void drain() {
        drainScheduled.set(false);
        if (output.ended()) {
            // Gone before its close handler ran: a closed WebSocket throws on any use, even when asked if it is full.
            stop();
            return;
        }
        byte[] line;
        while (!closed.get() && !output.full() && (line = pending.poll()) != null) {
            pendingBytes.addAndGet(-line.length);
            output.send(line);
        }
        if (!closed.get() && !pending.isEmpty()) {
            output.onDrain(this::drain);
        }
    }

    @Override
    public void onTerminated(String reason) {
        vertx.runOnContext(v -> stop());
    }

    private byte[] encode(WatchEventType type, CachedObject object) {
        if (tableRows != null) {
            ObjectNode event = JsonNodeFactory.instance.objectNode();
            event.put("type", type.name());
            event.set("object", Tables.table(def, List.of(object.object()), tableRows,
                    Long.toString(object.revision()), null));
            return line(event);
        }
        byte[] head = ("{\"type\":\"" + type.name() + "\",").getBytes(StandardCharsets.UTF_8);
        byte[] json = object.json();
        byte[] line = new byte[head.length + PREFIX_END.length + json.length + 2];
        System.arraycopy(head, 0, line, 0, head.length);
        System.arraycopy(PREFIX_END, 0, line, head.length, PREFIX_END.length);
        System.arraycopy(json, 0, line, head.length + PREFIX_END.length, json.length);
        line[line.length - 2] = '}';
        line[line.length - 1] = '\n';
        return line;
    }

    /** A BOOKMARK tells the client how far it is up to date, so a re-watch need not go back further. */
    private void bookmark() {
        if (closed.get() || pendingBytes.get() > 0) {
            return; // behind anyway: the events on their way say more
        }
        long revision = Math.max(lastRevision, cache.revision());
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.put("kind", def.kind());
        object.put("apiVersion", def.apiVersion());
        object.putObject("metadata").put("resourceVersion", Long.toString(revision));
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("type", "BOOKMARK");
        event.set("object", object);
        enqueue(line(event));
    }

    /** Ends the stream with an ERROR event carrying {@code error}'s Status. */
    void fail(Throwable error) {
        writeError(error instanceof ApiException api ? api
                : new ApiException(500, "InternalError", String.valueOf(error.getMessage()), ApiException.Target.NONE, List.of()));
    }

    private void writeError(ApiException error) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("type", "ERROR");
        event.set("object", Json.tree(error.toStatus()));
        output.end(line(event));
        closed.set(true);
    }

    private void stop() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        cache.unwatch(def, this);
        pending.clear();
        if (timeoutTimer >= 0) {
            vertx.cancelTimer(timeoutTimer);
        }
        if (bookmarkTimer >= 0) {
            vertx.cancelTimer(bookmarkTimer);
        }
        output.end(null);
    }

    private static byte[] line(ObjectNode event) {
        return (Json.string(event) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
