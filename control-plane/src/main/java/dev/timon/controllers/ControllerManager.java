package dev.timon.controllers;

import dev.timon.client.Informers;
import dev.timon.client.KubeClients;
import dev.timon.client.ElectedComponent;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs the controllers against an API server, like kube-controller-manager: builds them on shared informers,
 * starts the informers, waits for their caches, then starts the workers. With leader election, only while this
 * process holds the kube-controller-manager Lease.
 */
public final class ControllerManager extends ElectedComponent {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerManager.class);
    public static final String LEASE_NAME = "kube-controller-manager";

    private final Map<String, Function<ControllerContext, Controller>> factories;
    private final List<Controller> running = new ArrayList<>();
    private Informers informers;
    private EventRecorder events;

    public ControllerManager(KubernetesClient client, Map<String, Function<ControllerContext, Controller>> factories) {
        super(client);
        this.factories = factories;
    }

    public static ControllerManager start(Path kubeconfig, boolean leaderElect) throws Exception {
        return start(kubeconfig, leaderElect ? LEASE_NAME : null, Controllers.all());
    }

    /**
     * Runs the given controllers, only while holding the Lease {@code leaseName} (upstream's
     * --leader-elect-resource-name) or, when it is null, at once.
     */
    public static ControllerManager start(Path kubeconfig, String leaseName,
                                          Map<String, Function<ControllerContext, Controller>> factories) throws Exception {
        ControllerManager manager = new ControllerManager(KubeClients.fromKubeconfig(kubeconfig), factories);
        manager.begin(leaseName);
        return manager;
    }

    /** Builds and starts every controller; returns once they run. */
    @Override
    protected void run() throws Exception {
        informers = new Informers(client);
        events = new EventRecorder(client, "controller-manager");
        ControllerContext context = new ControllerContext(client, informers, events);
        for (var factory : factories.entrySet()) {
            running.add(factory.getValue().apply(context));
        }
        informers.startAndSync(120);
        running.forEach(Controller::start);
        LOG.info("controllers running: {}", factories.keySet());
    }

    @Override
    protected void stopRunning() {
        running.forEach(Controller::close);
        running.clear();
        if (informers != null) {
            informers.close();
        }
        if (events != null) {
            events.close();
        }
    }

}
