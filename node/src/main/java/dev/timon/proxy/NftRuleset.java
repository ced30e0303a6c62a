package dev.timon.proxy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Renders the proxy's whole nftables table as one `nft -f` script that replaces the table atomically
 * (add + delete + define in one transaction: the table is never seen half-programmed).
 *
 * <p>Layout: one map from (cluster IP, protocol, port) and one from (protocol, node port) to a chain per service
 * port; each chain DNATs with a single `numgen random` (or `jhash ip saddr` for ClientIP affinity) map to the
 * backends. One chain per service port rather than per endpoint keeps 1,000 services x 10 endpoints well under a
 * second. Hairpin traffic (a pod reaching itself through its service) is masqueraded through a set of
 * (address . address) pairs; node port traffic is masqueraded by a mark, except external clients of
 * externalTrafficPolicy Local services. Anything else addressed to the service CIDR is rejected.
 */
public final class NftRuleset {

    /** The mark that asks postrouting to masquerade (the same bit upstream kube-proxy uses). */
    static final String MASQUERADE_MARK = "0x4000";
    /** Fixed so a client keeps its backend across re-syncs for as long as the backend list is unchanged. */
    private static final String AFFINITY_SEED = "0x7134e0f1";

    private NftRuleset() {
    }

    /**
     * @param nodeIp      when set, node ports answer on it and 127.0.0.1 only; when null, on every local address
     * @param natPriority the DNAT chains' priority (see {@link ProxyConfig#natPriority()})
     */
    public static String render(String table, String serviceCidr, String nodeIp, int natPriority, List<ServicePortPlan> plans) {
        StringBuilder out = new StringBuilder(256 + plans.size() * 400);
        // Adding first makes the delete valid when the table does not exist yet.
        out.append("add table ip ").append(table).append('\n');
        out.append("delete table ip ").append(table).append('\n');
        out.append("table ip ").append(table).append(" {\n");

        StringBuilder clusterIps = new StringBuilder();
        StringBuilder nodePorts = new StringBuilder();
        Set<String> backendIps = new LinkedHashSet<>();
        for (ServicePortPlan plan : plans) {
            if (!plan.clusterBackends().isEmpty()) {
                String chain = chainName("svc", plan.id());
                separate(clusterIps).append(plan.clusterIp()).append(" . ").append(plan.protocol()).append(" . ")
                        .append(plan.port()).append(" : goto ").append(chain);
                out.append(" chain ").append(chain).append(" {\n");
                dnat(out, plan, plan.clusterBackends());
                out.append(" }\n");
                plan.clusterBackends().forEach(b -> backendIps.add(b.ip()));
            }
            if (plan.nodePort() > 0 && !plan.externalBackends().isEmpty()) {
                String chain = chainName("ext", plan.id());
                separate(nodePorts).append(plan.protocol()).append(" . ").append(plan.nodePort()).append(" : goto ").append(chain);
                out.append(" chain ").append(chain).append(" {\n");
                if (plan.externalLocal()) {
                    // Only the node's own traffic (e.g. from 127.0.0.1) must be masqueraded to be routable.
                    out.append("  fib saddr type local meta mark set meta mark | ").append(MASQUERADE_MARK).append('\n');
                } else {
                    out.append("  meta mark set meta mark | ").append(MASQUERADE_MARK).append('\n');
                }
                dnat(out, plan, plan.externalBackends());
                out.append(" }\n");
                plan.externalBackends().forEach(b -> backendIps.add(b.ip()));
            }
        }

        out.append(" map service-ips {\n  type ipv4_addr . inet_proto . inet_service : verdict\n");
        elements(out, clusterIps);
        out.append(" }\n map service-nodeports {\n  type inet_proto . inet_service : verdict\n");
        elements(out, nodePorts);
        out.append(" }\n set hairpin {\n  type ipv4_addr . ipv4_addr\n");
        StringBuilder pairs = new StringBuilder();
        backendIps.forEach(ip -> separate(pairs).append(ip).append(" . ").append(ip));
        elements(out, pairs);
        out.append(" }\n");

        out.append("""
                 chain services {
                  ip daddr . meta l4proto . th dport vmap @service-ips
                  %3$s meta l4proto . th dport vmap @service-nodeports
                 }
                 chain prerouting {
                  type nat hook prerouting priority %4$d; policy accept;
                  jump services
                 }
                 chain output {
                  type nat hook output priority %4$d; policy accept;
                  jump services
                 }
                 chain postrouting {
                  type nat hook postrouting priority srcnat; policy accept;
                  meta mark & %1$s == %1$s masquerade
                  ct status dnat ip saddr . ip daddr @hairpin masquerade
                 }
                 chain reject-unknown {
                  meta l4proto tcp reject with tcp reset
                  reject
                 }
                 chain filter-output {
                  type filter hook output priority filter; policy accept;
                  ip daddr %2$s jump reject-unknown
                 }
                 chain filter-forward {
                  type filter hook forward priority filter; policy accept;
                  ip daddr %2$s jump reject-unknown
                 }
                }
                """.formatted(MASQUERADE_MARK, serviceCidr,
                nodeIp == null ? "fib daddr type local" : "ip daddr { 127.0.0.1, " + nodeIp + " }", natPriority));
        return out.toString();
    }

    /** The script that removes the table (adding it first, so removing an absent table is not an error). */
    public static String removal(String table) {
        return "add table ip " + table + "\ndelete table ip " + table + "\n";
    }

    private static void dnat(StringBuilder out, ServicePortPlan plan, List<Backend> backends) {
        out.append("  meta l4proto ").append(plan.protocol()).append(" dnat ip addr . port to ")
                .append(plan.clientIpAffinity() ? "jhash ip saddr mod " : "numgen random mod ").append(backends.size());
        if (plan.clientIpAffinity()) {
            out.append(" seed ").append(AFFINITY_SEED);
        }
        out.append(" map { ");
        for (int i = 0; i < backends.size(); i++) {
            Backend b = backends.get(i);
            out.append(i == 0 ? "" : ", ").append(i).append(" : ").append(b.ip()).append(" . ").append(b.port());
        }
        out.append(" }\n");
    }

    /** Chain names stay readable (svc/ns/name/tcp/80); nft allows '/' in identifiers, as upstream's names show. */
    static String chainName(String kind, String id) {
        return kind + "/" + id;
    }

    private static StringBuilder separate(StringBuilder list) {
        return list.isEmpty() ? list : list.append(",\n   ");
    }

    private static void elements(StringBuilder out, StringBuilder list) {
        if (!list.isEmpty()) {
            out.append("  elements = { ").append(list).append(" }\n");
        }
    }
}
