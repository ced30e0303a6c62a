package dev.timon.controllers.endpoints;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The core/v1 Endpoints object a service should have: one subset per distinct set of resolved ports. */
public final class DesiredEndpoints {

    static final String HEADLESS_LABEL = "service.kubernetes.io/headless";

    private DesiredEndpoints() {
    }

    public static Endpoints of(Service service, List<PodEndpoint> endpoints) {
        boolean headless = isHeadless(service);
        boolean noPorts = service.getSpec().getPorts() == null || service.getSpec().getPorts().isEmpty();
        Map<List<PodEndpoint.ResolvedPort>, EndpointSubset> subsets = new LinkedHashMap<>();
        for (PodEndpoint endpoint : endpoints) {
            // A pod that serves none of the ports is no endpoint, except for a port-less headless service.
            if (endpoint.ports().isEmpty() && !(noPorts && headless)) {
                continue;
            }
            List<PodEndpoint.ResolvedPort> ports = endpoint.ports().stream()
                    .sorted(Comparator.comparing(PodEndpoint.ResolvedPort::name)).toList();
            EndpointSubset subset = subsets.computeIfAbsent(ports, DesiredEndpoints::newSubset);
            (endpoint.ready() ? subset.getAddresses() : subset.getNotReadyAddresses()).add(address(endpoint));
        }
        List<EndpointSubset> result = new ArrayList<>();
        for (EndpointSubset subset : subsets.values()) {
            subset.setAddresses(subset.getAddresses().isEmpty() ? null : subset.getAddresses());
            subset.setNotReadyAddresses(subset.getNotReadyAddresses().isEmpty() ? null : subset.getNotReadyAddresses());
            result.add(subset);
        }
        return new EndpointsBuilder()
                .withNewMetadata().withName(service.getMetadata().getName())
                .withNamespace(service.getMetadata().getNamespace()).withLabels(labels(service)).endMetadata()
                .withSubsets(result)
                .build();
    }

    static boolean isHeadless(Service service) {
        return "None".equals(service.getSpec().getClusterIP());
    }

    /** The service's own labels plus the headless marker, as upstream copies them onto Endpoints and slices. */
    static Map<String, String> labels(Service service) {
        Map<String, String> labels = service.getMetadata().getLabels() == null
                ? new HashMap<>() : new HashMap<>(service.getMetadata().getLabels());
        if (isHeadless(service)) {
            labels.put(HEADLESS_LABEL, "");
        } else {
            labels.remove(HEADLESS_LABEL);
        }
        return labels;
    }

    private static EndpointSubset newSubset(List<PodEndpoint.ResolvedPort> ports) {
        EndpointSubset subset = new EndpointSubset();
        subset.setAddresses(new ArrayList<>());
        subset.setNotReadyAddresses(new ArrayList<>());
        subset.setPorts(ports.isEmpty() ? null : ports.stream()
                .map(p -> new EndpointPortBuilder().withAppProtocol(p.appProtocol()).withName(p.name())
                        .withPort(p.port()).withProtocol(p.protocol()).build()).toList());
        return subset;
    }

    private static EndpointAddress address(PodEndpoint endpoint) {
        return new EndpointAddressBuilder()
                .withIp(endpoint.ip())
                .withHostname(endpoint.hostname())
                .withNodeName(endpoint.nodeName())
                .withTargetRef(new ObjectReferenceBuilder().withKind("Pod")
                        .withNamespace(endpoint.pod().getMetadata().getNamespace())
                        .withName(endpoint.pod().getMetadata().getName())
                        .withUid(endpoint.pod().getMetadata().getUid()).build())
                .build();
    }
}
