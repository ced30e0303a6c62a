package dev.timon.proxy;

import java.time.Duration;

/**
 * How one node's service proxy runs.
 *
 * @param table           the nftables table (family ip) the proxy owns; tests use their own
 * @param nodeName        this node, for locality and the traffic policies
 * @param nodeIp          the address node ports answer on besides 127.0.0.1; null for every local address
 * @param serviceCidr     traffic to it that matches no service is rejected
 * @param minSyncInterval the least time between two syncs (coalesces bursts of changes)
 * @param syncPeriod      re-sync even without changes
 * @param natPriority     the priority of the table's DNAT chains; when two clusters share a machine (a test cluster
 *                        next to `./timon up`), the table that comes first owns the service IPs both have (10.96.0.10)
 */
public record ProxyConfig(String table, String nodeName, String nodeIp, String serviceCidr, Duration minSyncInterval,
                          Duration syncPeriod, int natPriority) {

    public static final String DEFAULT_TABLE = "timon-proxy";
    public static final String DEFAULT_SERVICE_CIDR = "10.96.0.0/12";
    /** nftables' dstnat, as upstream kube-proxy's chains. */
    public static final int DEFAULT_NAT_PRIORITY = -100;

    public static ProxyConfig defaults(String nodeName) {
        return new ProxyConfig(DEFAULT_TABLE, nodeName, null, DEFAULT_SERVICE_CIDR, Duration.ofMillis(100), Duration.ofSeconds(30),
                DEFAULT_NAT_PRIORITY);
    }

    public ProxyConfig withTable(String name) {
        return new ProxyConfig(name, nodeName, nodeIp, serviceCidr, minSyncInterval, syncPeriod, natPriority);
    }

    public ProxyConfig withNodeIp(String ip) {
        return new ProxyConfig(table, nodeName, ip, serviceCidr, minSyncInterval, syncPeriod, natPriority);
    }

    public ProxyConfig withNatPriority(int priority) {
        return new ProxyConfig(table, nodeName, nodeIp, serviceCidr, minSyncInterval, syncPeriod, priority);
    }
}
