package dev.timon.proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a sync on its own thread when asked, at most once per minimum interval (a burst of watch events becomes one
 * sync), and periodically regardless, so rules removed by hand come back.
 */
final class CoalescedSyncs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CoalescedSyncs.class);

    private final ScheduledExecutorService executor;
    private final Runnable sync;
    private final long minIntervalNanos;
    private boolean scheduled;
    private long lastStart = Long.MIN_VALUE / 2;

    CoalescedSyncs(String name, Runnable sync, Duration minInterval, Duration period) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
        this.sync = sync;
        this.minIntervalNanos = minInterval.toNanos();
        executor.scheduleWithFixedDelay(this::request, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks for a sync; requests that arrive before it starts are served by it. */
    synchronized void request() {
        if (scheduled || executor.isShutdown()) {
            return;
        }
        scheduled = true;
        long delay = Math.max(0, lastStart + minIntervalNanos - System.nanoTime());
        executor.schedule(this::run, delay, TimeUnit.NANOSECONDS);
    }

    private void run() {
        synchronized (this) {
            scheduled = false;
            lastStart = System.nanoTime();
        }
        try {
            sync.run();
        } catch (RuntimeException e) {
            LOG.warn("sync failed; retrying in a second", e);
            executor.schedule(this::request, 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(30, TimeUnit.SECONDS);
    }
}
