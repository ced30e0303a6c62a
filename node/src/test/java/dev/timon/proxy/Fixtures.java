package dev.timon.proxy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

import java.util.List;
import java.util.Map;

/** Services and EndpointSlices as the API server stores them, for the proxy's and DNS's tests. */
public final class Fixtures {

    private Fixtures() {
    }

    public static ServicePort port(String name, int port, String targetPort) {
        return new ServicePortBuilder().withName(name).withPort(port).withProtocol("TCP")
                .withTargetPort(new IntOrString(targetPort)).build();
    }

    public static ServicePort nodePort(String name, int port, int nodePort) {
        return new ServicePortBuilder(port(name, port, name)).withNodePort(nodePort).build();
    }

    public static Service service(String namespace, String name, String clusterIp, ServicePort... ports) {
        return new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withClusterIP(clusterIp).withType("ClusterIP").withPorts(ports).endSpec().build();
    }

    public static Endpoint endpoint(String ip, String node, boolean ready) {
        return new EndpointBuilder().withAddresses(ip).withNodeName(node)
                .withNewConditions().withReady(ready).withServing(ready).withTerminating(false).endConditions().build();
    }

    public static EndpointPort slicePort(String name, int port) {
        return new EndpointPort(null, name, port, "TCP");
    }

    public static EndpointSlice slice(String namespace, String service, List<EndpointPort> ports, Endpoint... endpoints) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace(namespace).withName(service + "-" + ports.size())
                .withLabels(Map.of("kubernetes.io/service-name", service)).endMetadata()
                .withAddressType("IPv4").withPorts(ports).withEndpoints(endpoints).build();
    }
}
