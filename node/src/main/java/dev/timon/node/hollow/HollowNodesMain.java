package dev.timon.node.hollow;

import dev.timon.client.ComponentFlags;
import dev.timon.client.KubeClients;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Path;

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
        KubernetesClient client = KubeClients.fromKubeconfig(Path.of(kubeconfig));
        HollowNodes nodes = new HollowNodes(client, prefix, count, concurrency);
        nodes.start();
        ComponentFlags.runUntilShutdown(() -> {
            nodes.close();
            client.close();
        });
    }
}
