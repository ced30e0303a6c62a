package dev.timon.proxy;

import java.util.List;

/**
 * What the proxy programs for one port of one Service on this node.
 *
 * @param id               namespace/name/protocol/port, unique in the table and used to name its chains
 * @param protocol         tcp, udp or sctp (nft's spelling)
 * @param clusterIp        the virtual IP
 * @param port             the service port
 * @param nodePort         the node port, 0 when none
 * @param clusterBackends  where traffic to the cluster IP goes (already narrowed by internalTrafficPolicy and locality)
 * @param externalBackends where traffic to the node port goes (narrowed by externalTrafficPolicy and locality)
 * @param externalLocal    externalTrafficPolicy Local: keep the client's source address for external clients
 * @param clientIpAffinity sessionAffinity ClientIP: pick the backend by a hash of the client address
 */
public record ServicePortPlan(String id, String protocol, String clusterIp, int port, int nodePort,
                              List<Backend> clusterBackends, List<Backend> externalBackends,
                              boolean externalLocal, boolean clientIpAffinity) {
}
