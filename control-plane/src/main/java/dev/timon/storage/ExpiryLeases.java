package dev.timon.storage;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * etcd leases for objects that expire (events, an hour after their last write, as upstream's --event-ttl), shared as
 * upstream's lease manager shares them: a lease granted for {@code ttl} plus a reuse window serves every write within
 * that window, so a burst of events costs etcd one grant rather than one each, and each object lives at least its
 * time to live and at most the window longer. The window is a minute, or 5% of the time to live if less.
 */
public final class ExpiryLeases {

    private static final long MAX_REUSE_SECONDS = 60;
    private static final double REUSE_SHARE = 0.05;

    private record Granted(CompletableFuture<Long> lease, long reusableUntil) {
    }

    private final EtcdStore etcd;
    private final Map<Long, Granted> byTtlSeconds = new HashMap<>();

    public ExpiryLeases(EtcdStore etcd) {
        this.etcd = etcd;
    }

    /** The ID of a lease that keeps a key written now for at least {@code ttl}. */
    public synchronized CompletableFuture<Long> leaseFor(Duration ttl) {
        long ttlSeconds = Math.max(1, ttl.toSeconds());
        long now = System.nanoTime();
        Granted granted = byTtlSeconds.get(ttlSeconds);
        if (granted != null && now - granted.reusableUntil < 0 && !granted.lease.isCompletedExceptionally()) {
            return granted.lease;
        }
        long reuseSeconds = Math.min(MAX_REUSE_SECONDS, (long) (ttlSeconds * REUSE_SHARE));
        CompletableFuture<Long> lease = etcd.grantLease(ttlSeconds + reuseSeconds);
        byTtlSeconds.put(ttlSeconds, new Granted(lease, now + Duration.ofSeconds(reuseSeconds).toNanos()));
        return lease;
    }
}
