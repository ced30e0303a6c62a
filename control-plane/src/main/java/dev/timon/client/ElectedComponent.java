package dev.timon.client;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A control-plane component (scheduler, controller manager) that works only while it holds its Lease, or at
 * once without leader election. Losing the Lease stops the work; the election campaigns again.
 */
public abstract class ElectedComponent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ElectedComponent.class);

    protected final KubernetesClient client;
    private LeaderElection election;

    protected ElectedComponent(KubernetesClient client) {
        this.client = client;
    }

    /** Campaigns for {@code leaseName} and runs while leading, or runs at once when it is null. */
    protected final void begin(String leaseName) throws Exception {
        if (leaseName != null) {
            election = LeaderElection.start(client, leaseName, this::runLogged, this::stopRunning);
        } else {
            run();
        }
    }

    /** The identity this component campaigns with; null without leader election. */
    public String identity() {
        return election == null ? null : election.identity();
    }

    /** Starts the work; returns once it runs. */
    protected abstract void run() throws Exception;

    /** Stops the work; safe to call when it does not run. */
    protected abstract void stopRunning();

    private void runLogged() {
        try {
            run();
        } catch (Exception e) {
            LOG.error("{} failed to start", getClass().getSimpleName(), e);
            stopRunning();
        }
    }

    @Override
    public void close() {
        if (election != null) {
            election.close();
        }
        stopRunning();
        client.close();
    }
}
