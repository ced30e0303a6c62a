package dev.timon.kubelet.env;

import dev.timon.client.Informers;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every service of the cluster, watched, as upstream's kubelet keeps them for container environments. Until the
 * first list is in, a container cannot be given its environment: it waits a little, then fails like upstream
 * (the container is retried).
 */
public final class ServiceCache implements ServiceLister, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceCache.class);
    private static final long FIRST_LIST_WAIT_SECONDS = 10;

    private final SharedIndexInformer<Service> informer;

    private ServiceCache(SharedIndexInformer<Service> informer) {
        this.informer = informer;
    }

    public static ServiceCache start(KubernetesClient client) {
        var informer = Informers.retrying(client.services().inAnyNamespace().runnableInformer(0));
        informer.start().whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("service informer did not start: {}", e.toString());
            }
        });
        return new ServiceCache(informer);
    }

    @Override
    public List<Service> forNamespace(String namespace) throws ConfigException {
        // Polled rather than waited on through start()'s future, which fails with the first list while the
        // informer keeps retrying.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FIRST_LIST_WAIT_SECONDS);
        while (!informer.hasSynced()) {
            if (System.nanoTime() > deadline) {
                throw new ConfigException("services have not yet been read at least once, cannot construct envvars");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConfigException("interrupted while reading services");
            }
        }
        return informer.getStore().list().stream()
                .filter(s -> namespace.equals(s.getMetadata().getNamespace())
                        || ServiceEnv.API_SERVICE_NAMESPACE.equals(s.getMetadata().getNamespace()))
                .toList();
    }

    @Override
    public void close() {
        informer.close();
    }
}
