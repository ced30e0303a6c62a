package dev.timon.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.nio.file.Path;

/** Creates fabric8 clients for the scheduler, the controllers and hollow nodes, all of which may run out of process. */
public final class KubeClients {

    private KubeClients() {
    }

    public static KubernetesClient fromKubeconfig(Path kubeconfig) {
        Config config = Config.fromKubeconfig(kubeconfig.toFile());
        // Controllers retry on their own (rate-limited work queues); fabric8's own retries would only hide errors.
        config.setRequestRetryBackoffLimit(0);
        // The JDK client multiplexes every request over one HTTP/2 connection, where a watch whose events are
        // not read fast enough exhausts the connection's flow-control window and stalls unrelated requests
        // (bindings, status writes). HTTP/1.1 gives each request and watch a connection of its own.
        config.setHttp2Disable(true);
        // Watches over WebSocket (fabric8's default), one event per frame: its HTTP watch reader appends every
        // character of an event to a synchronized StringBuffer, ~6% of the control plane's CPU in the scheduler
        // benchmark and more of the hollow nodes'.
        return new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientFactory(new JdkHttpClientFactory())
                .withKubernetesSerialization(WITHOUT_MANAGED_FIELDS)
                .build();
    }

    /**
     * Objects are decoded without metadata.managedFields, as upstream's scheduler and controller manager strip them
     * from their informers' objects: no component reads them, and they are about half of a pod's JSON, decoded for
     * every watch event into every informer cache (a pod event with them: 27 us, without: 21 us). A component's update
     * then sends none, and the API server keeps the stored ones.
     */
    private static final KubernetesSerialization WITHOUT_MANAGED_FIELDS = new KubernetesSerialization(
            new ObjectMapper().addMixIn(ObjectMeta.class, IgnoreManagedFields.class), true);

    @JsonIgnoreProperties("managedFields")
    private interface IgnoreManagedFields {
    }
}
