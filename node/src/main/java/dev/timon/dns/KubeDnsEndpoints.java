package dev.timon.dns;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;

import java.util.Map;

/**
 * Points the kube-dns Service at this DNS server: the server runs on the node (not in a pod), so it publishes its
 * own EndpointSlice for kube-dns (which has no selector), and the service proxy routes 10.96.0.10:53 to it.
 * Ports are matched by name (dns, dns-tcp), so the server's own port (1053) need not be 53.
 */
final class KubeDnsEndpoints {

    static final String NAMESPACE = "kube-system";
    static final String SERVICE = "kube-dns";
    static final String SLICE = "kube-dns-timon";

    private KubeDnsEndpoints() {
    }

    static void publish(KubernetesClient client, String ip, int port, String nodeName) {
        EndpointSlice slice = new EndpointSliceBuilder().withNewMetadata().withNamespace(NAMESPACE).withName(SLICE)
                .withLabels(Map.of("kubernetes.io/service-name", SERVICE,
                        "endpointslice.kubernetes.io/managed-by", "dns.timon.dev")).endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint().withAddresses(ip).withNodeName(nodeName)
                .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions().endEndpoint()
                .withPorts(new EndpointPort(null, "dns", port, "UDP"), new EndpointPort(null, "dns-tcp", port, "TCP"))
                .build();
        client.resource(slice).createOr(NonDeletingOperation::update);
    }

    static void withdraw(KubernetesClient client) {
        client.resources(EndpointSlice.class).inNamespace(NAMESPACE).withName(SLICE).delete();
    }
}
