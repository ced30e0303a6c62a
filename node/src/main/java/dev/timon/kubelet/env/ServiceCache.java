package dev.timon.kubelet.env;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every service of the cluster, watched, as upstream's kubelet keeps them for container environments. Until the
 * first list is in, a container cannot be given its environment: it waits a little, then fails like upstream
 * (the container is retried).
 */
public final class ServiceCache implements ServiceLister, AutoCloseable {
    private static final long FIRST_LIST_WAIT_SECONDS = 10;

    private final SharedIndexInformer<Service> informer;
    private final CompletableFuture<Void> listed;

    private ServiceCache(SharedIndexInformer<Service> informer, CompletableFuture<Void> listed) {
        this.informer = informer;
        this.listed = listed;
    }

    public static ServiceCache start(KubernetesClient client) {
        var informer = client.services().inAnyNamespace().runnableInformer(0);
        return new ServiceCache(informer, informer.start().toCompletableFuture());
    }

    @Override
    public List<Service> forNamespace(String namespace) throws ConfigException {
        try {
            listed.get(FIRST_LIST_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new ConfigException("services have not yet been read at least once, cannot construct envvars");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while reading services");
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
