package dev.timon.proxy;

import dev.timon.client.ComponentFlags;
import dev.timon.client.KubeClients;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Path;

/** The service proxy process: ProxyMain --kubeconfig K --node-name N [--table timon-proxy] [--node-ip IP]. */
public final class ProxyMain {

    private ProxyMain() {
    }

    public static void main(String[] args) throws Exception {
        Path kubeconfig = null;
        String nodeName = null;
        String table = ProxyConfig.DEFAULT_TABLE;
        String nodeIp = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--kubeconfig" -> kubeconfig = Path.of(value);
                case "--node-name" -> nodeName = value;
                case "--table" -> table = value;
                case "--node-ip" -> nodeIp = value;
                default -> throw new IllegalArgumentException("unknown flag " + args[i]
                        + " (flags: --kubeconfig K --node-name N [--table T] [--node-ip IP])");
            }
            i++;
        }
        if (kubeconfig == null || nodeName == null) {
            throw new IllegalArgumentException("--kubeconfig and --node-name are required");
        }
        KubernetesClient client = KubeClients.fromKubeconfig(kubeconfig);
        ServiceProxy proxy = ServiceProxy.start(client, ProxyConfig.defaults(nodeName).withTable(table).withNodeIp(nodeIp));
        // The shutdown hook removes the table, so a stopped proxy leaves no rules behind.
        ComponentFlags.runUntilShutdown(() -> {
            proxy.close();
            client.close();
        });
    }
}
