package dev.timon.dns;

import dev.timon.client.ComponentFlags;
import dev.timon.client.KubeClients;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The cluster DNS process: DnsMain --kubeconfig K [--listen 0.0.0.0:1053] [--advertise IP] [--node-name N].
 * It runs on the node, not in a pod, and publishes kube-dns's EndpointSlice as advertise-IP:port so that
 * 10.96.0.10:53 reaches it through the service proxy; the slice is withdrawn on shutdown.
 */
public final class DnsMain {

    private DnsMain() {
    }

    public static void main(String[] args) throws Exception {
        Path kubeconfig = null;
        String listen = "0.0.0.0:1053";
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
        int colon = listen.lastIndexOf(':');
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(listen.substring(0, colon)),
                Integer.parseInt(listen.substring(colon + 1)));
        String published = advertise != null ? advertise : advertisedAddress(address.getAddress());
        KubernetesClient client = KubeClients.fromKubeconfig(kubeconfig);
        ClusterDns dns = ClusterDns.start(client, address, hostResolvers(address.getAddress()));
        KubeDnsEndpoints.publish(client, published, dns.port(), nodeName);
        ComponentFlags.runUntilShutdown(() -> {
            KubeDnsEndpoints.withdraw(client);
            dns.close();
            client.close();
        });
    }

    /**
     * The host's nameservers on port 53, leaving out the cluster DNS's own addresses: a host whose resolv.conf
     * points at the cluster DNS would otherwise make forwarding loop.
     */
    static List<InetSocketAddress> hostResolvers(InetAddress listen) throws IOException {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String server : ClusterDnsConfig.ResolvConf.read(ClusterDnsConfig.HOST_RESOLV_CONF).nameservers()) {
            if (!server.equals(ClusterDnsConfig.SERVICE_IP) && !server.equals(listen.getHostAddress())) {
                servers.add(new InetSocketAddress(InetAddress.getByName(server), 53));
            }
        }
        return servers;
    }

    /**
     * The address pods can reach: the listen address when it is a specific non-loopback one, otherwise the host's
     * first non-loopback IPv4 address (a DNAT to 127.0.0.1 would not leave a pod's network namespace).
     */
    static String advertisedAddress(InetAddress listen) throws SocketException {
        if (!listen.isAnyLocalAddress() && !listen.isLoopbackAddress()) {
            return listen.getHostAddress();
        }
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return address.getHostAddress();
                    }
                }
            }
        }
        throw new IllegalStateException("no non-loopback IPv4 address to advertise; pass --advertise IP");
    }
}
