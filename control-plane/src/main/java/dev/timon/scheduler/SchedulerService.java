package dev.timon.scheduler;

import dev.timon.client.Informers;
import dev.timon.client.KubeClients;
import dev.timon.client.ElectedComponent;
import dev.timon.controllers.EventRecorder;
import dev.timon.scheduler.plugins.SchedulerPlugin;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/** A scheduler process's life: client, informers, the scheduler, optionally behind the kube-scheduler Lease. */
public final class SchedulerService extends ElectedComponent {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerService.class);
    public static final String LEASE_NAME = "kube-scheduler";

    private Informers informers;
    private EventRecorder events;
    private Scheduler scheduler;

    private SchedulerService(KubernetesClient client) {
        super(client);
    }

    public static SchedulerService start(Path kubeconfig, boolean leaderElect) throws Exception {
        return start(kubeconfig, leaderElect ? LEASE_NAME : null);
    }

    /** Schedules only while holding the Lease {@code leaseName} or, when it is null, at once. */
    public static SchedulerService start(Path kubeconfig, String leaseName) throws Exception {
        SchedulerService service = new SchedulerService(KubeClients.fromKubeconfig(kubeconfig));
        service.begin(leaseName);
        return service;
    }

    @Override
    protected void run() throws Exception {
        informers = new Informers(client);
        events = new EventRecorder(client, Scheduler.NAME);
        scheduler = new Scheduler(client, informers, events, SchedulerPlugin.defaults());
        informers.startAndSync(120);
        scheduler.start();
        LOG.info("scheduler running");
    }

    @Override
    protected void stopRunning() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (informers != null) {
            informers.close();
        }
        if (events != null) {
            events.close();
        }
    }

}
