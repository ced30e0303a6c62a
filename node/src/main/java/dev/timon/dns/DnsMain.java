package dev.timon.dns;

import dev.timon.client.ComponentFlags;
import dev.timon.client.KubeClients;
import dev.timon.kubelet.node.MachineInfo;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The cluster DNS process: DnsMain --kubeconfig K [--listen ADDR:PORT] [--advertise IP] [--node-name N].
 * It runs on the node, not in a pod, and publishes kube-dns's EndpointSlice as advertise-IP:port so that
 * 10.96.0.10:53 reaches it through the service proxy; the slice is withdrawn on shutdown. By default it listens
 * on the advertised address only: a UDP server on 0.0.0.0 answers a pod from the bridge's address, which the
 * service DNAT's connection tracking does not recognise, so the pod would never see the answer.
 */
public final class DnsMain {

    private DnsMain() {
    }

    public static void main(String[] args) throws Exception {
        Path kubeconfig = null;
        String listen = null;
        String advertise = null;
        String nodeName = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--kubeconfig" -> kubeconfig = Path.of(value);
                case "--listen" -> listen = value;
                case "--advertise" -> advertise = value;
                case "--node-name" -> nodeName = value;
                default -> throw new IllegalArgumentException("unknown flag " + args[i]
                        + " (flags: --kubeconfig K [--listen ADDR:PORT] [--advertise IP] [--node-name N])");
            }
            i++;
        }
        if (kubeconfig == null) {
            throw new IllegalArgumentException("--kubeconfig is required");
        }
        // The node's InternalIP, as the node agent reports it: the address of the interface with the default route.
        String published = advertise != null ? advertise : MachineInfo.internalIp();
        if (listen == null) {
            listen = published + ":1053";
        }
        int colon = listen.lastIndexOf(':');
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(listen.substring(0, colon)),
                Integer.parseInt(listen.substring(colon + 1)));
        KubernetesClient client = KubeClients.fromKubeconfig(kubeconfig);
        NodeDns dns = NodeDns.start(client, address, published, nodeName);
        ComponentFlags.runUntilShutdown(() -> {
            dns.close();
            client.close();
        });
    }
}
