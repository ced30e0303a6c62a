package dev.timon.client;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectorBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a component only while this process holds a Lease in kube-system, like upstream's --leader-elect. The lease
 * lasts 10 s and is retried every 2 s, so a standby takes over within about 12 s of the leader vanishing, and at
 * once when the leader stops cleanly (it releases the lease). A leader that loses the lease stops its component
 * and campaigns again after the retry period, as upstream components do by restarting.
 */
public final class LeaderElection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);
    private static final Duration RETRY_PERIOD = Duration.ofSeconds(2);

    private final KubernetesClient client;
    private final ScheduledExecutorService executor;
    private final LeaderElectionConfig config;
    private final String identity;
    private volatile boolean closed;
    private volatile CompletableFuture<?> elector;

    private LeaderElection(KubernetesClient client, ScheduledExecutorService executor, LeaderElectionConfig config, String identity) {
        this.client = client;
        this.executor = executor;
        this.config = config;
        this.identity = identity;
    }

    /**
     * Starts campaigning; {@code onStarted} runs once leading, {@code onStopped} when the lease is lost, both on the
     * elector's thread.
     */
    public static LeaderElection start(KubernetesClient client, String leaseName, Runnable onStarted, Runnable onStopped) {
        String identity = newIdentity();
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "leader-election-" + leaseName);
            thread.setDaemon(true);
            return thread;
        });
        var config = new LeaderElectionConfigBuilder()
                .withName(leaseName)
                .withLock(new LeaseLock("kube-system", leaseName, identity))
                .withLeaseDuration(Duration.ofSeconds(10))
                .withRenewDeadline(Duration.ofSeconds(8))
                .withRetryPeriod(RETRY_PERIOD)
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> {
                            LOG.info("{} is now leader of {}", identity, leaseName);
                            onStarted.run();
                        },
                        () -> {
                            LOG.info("{} stopped leading {}", identity, leaseName);
                            onStopped.run();
                        },
                        leader -> LOG.info("leader of {} is {}", leaseName, leader)))
                .build();
        LeaderElection election = new LeaderElection(client, executor, config, identity);
        election.campaign();
        return election;
    }

    /** One elector runs until leadership is lost; then, unless closed, a fresh one campaigns again. */
    private synchronized void campaign() {
        if (closed) {
            return;
        }
        elector = new LeaderElectorBuilder(client, executor).withConfig(config).build().start();
        elector.whenComplete((ignored, error) -> {
            if (!closed) {
                executor.schedule(this::campaign, RETRY_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /**
     * Gives the lease up, released so that a standby may take it at once, and campaigns again after the retry
     * period (this process wins it back if no other does).
     */
    public synchronized void stepDown() {
        elector.cancel(true);
    }

    /** The holderIdentity this process writes into the Lease. */
    public String identity() {
        return identity;
    }

    private static String newIdentity() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return host + "_" + UUID.randomUUID();
    }

    @Override
    public synchronized void close() {
        closed = true;
        elector.cancel(true);
        executor.shutdownNow();
    }
}
