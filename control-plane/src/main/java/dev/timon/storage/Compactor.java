package dev.timon.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Compacts etcd's history as the API server upstream does: every interval, everything older than the revision
 * seen one interval before goes. Watches and continue tokens older than that get 410 Gone and re-list. Then a
 * raised NOSPACE alarm is recovered from (every member defragmented, the alarm cleared), or else a member whose
 * database file has grown to more than twice its content (and over {@link #DEFRAG_MIN_BYTES}) is defragmented;
 * upstream leaves both to operators: without them a busy cluster's file reaches etcd's quota and every write fails
 * from then on.
 */
public final class Compactor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    private final EtcdStore store;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "etcd-compactor");
        t.setDaemon(true);
        return t;
    });
    static final long DEFRAG_MIN_BYTES = 256L * 1024 * 1024;
    private long previousRevision;

    public Compactor(EtcdStore store) {
        this.store = store;
    }

    public Compactor start(Duration interval) {
        // The first pass at once: it compacts nothing yet, but a restart is how a user would try to revive a
        // cluster whose etcd ran out of space.
        timer.scheduleWithFixedDelay(this::compact, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void compact() {
        long target = previousRevision;
        store.currentRevision().thenCompose(current -> {
            previousRevision = current;
            return target > 0 ? store.compact(target) : CompletableFuture.completedFuture(null);
        }).handle((v, error) -> {
            // Another control plane may have compacted past the target already; the space checks run regardless.
            if (error != null && !String.valueOf(error.getMessage()).contains("compacted")) {
                LOG.warn("etcd compaction to {} failed: {}", target, error.toString());
            }
            return null;
        }).thenCompose(v -> store.recoverFromSpaceAlarm()).thenCompose(cleared -> {
            if (cleared > 0) {
                // The recovery defragmented every member already: a second pass would only hold etcd still again.
                LOG.info("etcd had run out of space: defragmented it and cleared {} NOSPACE alarm(s)", cleared);
                return CompletableFuture.completedFuture(List.<String>of());
            }
            return store.defragmentSparse(DEFRAG_MIN_BYTES);
        }).whenComplete((defragmented, error) -> {
            if (error != null) {
                LOG.warn("etcd defragmentation failed: {}", error.toString());
            } else if (!defragmented.isEmpty()) {
                LOG.info("defragmented etcd {}", defragmented);
            }
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
