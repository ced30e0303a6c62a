package dev.timon.client;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A control-plane component (scheduler, controller manager) that works only while it holds its Lease, or at
 * once without leader election. Losing the Lease stops the work; the election campaigns again. A start that
 * fails gives the Lease up and campaigns again, as upstream's components exit and are restarted: a leader that
 * does not work would hold the Lease from a standby that could (an informer sync timing out on a loaded machine
 * left the controllers stopped behind a renewed Lease).
 * <p>
 * {@link #run} and {@link #stopRunning} are called under this object's lock, never at the same time.
 */
public abstract class ElectedComponent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ElectedComponent.class);

    protected final KubernetesClient client;
    private LeaderElection election;
    /** Counts changes of leadership, so that a start which lost its race with a stop does nothing. */
    private long term;

    protected ElectedComponent(KubernetesClient client) {
        this.client = client;
    }

    /** Campaigns for {@code leaseName} and runs while leading, or runs at once when it is null. */
    protected final void begin(String leaseName) throws Exception {
        if (leaseName != null) {
            election = LeaderElection.start(client, leaseName, this::startedLeading, this::stoppedLeading);
        } else {
            synchronized (this) {
                run();
            }
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

    /** On the elector's thread, so the start goes to a thread of its own: it may take a while, and renewals go on. */
    private synchronized void startedLeading() {
        long startedTerm = ++term;
        Thread starter = new Thread(() -> start(startedTerm), getClass().getSimpleName() + "-start");
        starter.setDaemon(true);
        starter.start();
    }

    private synchronized void stoppedLeading() {
        term++;
        stopRunning();
    }

    private void start(long startedTerm) {
        synchronized (this) {
            if (term != startedTerm) {
                return; // the Lease was lost (and maybe won again) before this start began
            }
            try {
                run();
                return;
            } catch (Exception e) {
                LOG.error("{} failed to start; giving up the Lease to campaign again", getClass().getSimpleName(), e);
                stopRunning();
            }
        }
        election.stepDown();
    }

    @Override
    public void close() {
        if (election != null) {
            election.close();
        }
        synchronized (this) {
            term++;
            stopRunning();
        }
        client.close();
    }
}
