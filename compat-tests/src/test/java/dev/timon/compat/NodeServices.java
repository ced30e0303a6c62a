package dev.timon.compat;

import dev.timon.dns.NodeDns;
import dev.timon.proxy.ProxyConfig;
import dev.timon.proxy.ServiceProxy;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The service proxy and the cluster DNS of a {@link NodeCluster}, as `./timon up` runs them next to the node agent:
 * the proxy in an nftables table of its own, the DNS on the node's InternalIP at a port of its own, published as
 * kube-dns's endpoint. Its DNAT chains come before those of a running `./timon up`, whose proxy would otherwise
 * send this cluster's pods to its own DNS at 10.96.0.10 (both clusters have that address).
 */
final class NodeServices implements AutoCloseable {

    private static final int AHEAD_OF_DEFAULT_PROXY = ProxyConfig.DEFAULT_NAT_PRIORITY - 10;

    final String nodeIp;
    private final ServiceProxy proxy;
    private final NodeDns dns;

    private NodeServices(String nodeIp, ServiceProxy proxy, NodeDns dns) {
        this.nodeIp = nodeIp;
        this.proxy = proxy;
        this.dns = dns;
    }

    static NodeServices start(NodeCluster cluster, String table, int dnsPort) throws Exception {
        String node = cluster.site.node();
        String nodeIp = cluster.client.nodes().withName(node).get().getStatus().getAddresses().stream()
                .filter(a -> a.getType().equals("InternalIP")).map(NodeAddress::getAddress).findFirst().orElseThrow();
        ServiceProxy proxy = ServiceProxy.start(cluster.client,
                ProxyConfig.defaults(node).withTable(table).withNodeIp(nodeIp).withNatPriority(AHEAD_OF_DEFAULT_PROXY));
        try {
            NodeDns dns = NodeDns.start(cluster.client, new InetSocketAddress(InetAddress.getByName(nodeIp), dnsPort), nodeIp, node);
            return new NodeServices(nodeIp, proxy, dns);
        } catch (Exception e) {
            proxy.close();
            throw e;
        }
    }

    /** Stops both; the proxy removes its table. */
    @Override
    public void close() throws Exception {
        try {
            dns.close();
        } finally {
            proxy.close();
        }
    }
}
