package dev.timon.node.hollow;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;

import java.io.File;
import java.util.concurrent.CountDownLatch;

/** {@code ./timon hollow-nodes N}: {@code --kubeconfig K --count N [--prefix hollow-] [--concurrency 32]}. */
public final class HollowNodesMain {

    private HollowNodesMain() {
    }

    public static void main(String[] args) throws Exception {
        String kubeconfig = null;
        int count = 1;
        String prefix = "hollow-";
        int concurrency = 32;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--kubeconfig" -> kubeconfig = args[i + 1];
                case "--count" -> count = Integer.parseInt(args[i + 1]);
                case "--prefix" -> prefix = args[i + 1];
                case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]
                        + " (flags: --kubeconfig K --count N --prefix P --concurrency C)");
            }
        }
        if (kubeconfig == null) {
            throw new IllegalArgumentException("--kubeconfig is required");
        }
        KubernetesClient client = client(new File(kubeconfig));
        HollowNodes nodes = new HollowNodes(client, prefix, count, concurrency);
        nodes.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            nodes.close();
            client.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }

    public static KubernetesClient client(File kubeconfig) {
        Config config = Config.fromKubeconfig(kubeconfig);
        // Writes are retried by the hollow nodes themselves; fabric8's retries would also retry the WebSocket
        // watch handshake the API server refuses (503) instead of falling back to an HTTP watch at once.
        config.setRequestRetryBackoffLimit(0);
        return new KubernetesClientBuilder().withConfig(config)
                .withHttpClientFactory(new JdkHttpClientFactory()).build();
    }
}
