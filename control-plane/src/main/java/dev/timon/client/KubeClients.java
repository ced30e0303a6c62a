package dev.timon.client;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;

import java.nio.file.Path;

/** Creates fabric8 clients for the scheduler, the controllers and hollow nodes, all of which may run out of process. */
public final class KubeClients {

    private KubeClients() {
    }

    public static KubernetesClient fromKubeconfig(Path kubeconfig) {
        Config config = Config.fromKubeconfig(kubeconfig.toFile());
        // Controllers retry on their own (rate-limited work queues); fabric8's own retries would only hide errors.
        config.setRequestRetryBackoffLimit(0);
        return new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientFactory(new JdkHttpClientFactory())
                .build();
    }
}
