package dev.timon.dns;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster DNS as it runs on a node (not in a pod): serving on the node's address and published as kube-dns's
 * endpoint, so 10.96.0.10:53 reaches it through the service proxy; closing withdraws the endpoint first.
 */
public final class NodeDns implements AutoCloseable {

    private final KubernetesClient client;
    private final ClusterDns dns;

    private NodeDns(KubernetesClient client, ClusterDns dns) {
        this.client = client;
        this.dns = dns;
    }

    /**
     * @param listen    where to serve; port 0 picks a free one, which is what gets published
     * @param advertise the address published for kube-dns (the node's InternalIP)
     * @param nodeName  the endpoint's node, for same-node routing; may be null
     */
    public static NodeDns start(KubernetesClient client, InetSocketAddress listen, String advertise, String nodeName)
            throws Exception {
        ClusterDns dns = ClusterDns.start(client, listen, hostResolvers(listen.getAddress()));
        KubeDnsEndpoints.publish(client, advertise, dns.port(), nodeName);
        return new NodeDns(client, dns);
    }

    public int port() {
        return dns.port();
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

    @Override
    public void close() throws InterruptedException {
        KubeDnsEndpoints.withdraw(client);
        dns.close();
    }
}
