package dev.timon.controllers.endpoints;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The EndpointSlice contents a service should have: endpoints grouped by their resolved port set (a slice
 * carries one port list), each group cut into slices of at most {@code maxPerSlice} endpoints.
 */
public final class DesiredSlices {

    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
    public static final String CONTROLLER_NAME = "endpointslice-controller.k8s.io";
    public static final int MAX_ENDPOINTS_PER_SLICE = 100;
    static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    /** One slice's worth: its ports and endpoints. */
    public record SliceContent(List<EndpointPort> ports, List<Endpoint> endpoints) {
    }

    private DesiredSlices() {
    }

    /** @param nodeZones node name to its topology.kubernetes.io/zone label, for nodes that have one */
    public static List<SliceContent> of(Service service, List<PodEndpoint> endpoints, Map<String, String> nodeZones,
                                        int maxPerSlice) {
        boolean portless = service.getSpec().getPorts() == null || service.getSpec().getPorts().isEmpty();
        Map<List<EndpointPort>, List<Endpoint>> groups = new LinkedHashMap<>();
        for (PodEndpoint endpoint : endpoints) {
            if (endpoint.ports().isEmpty() && !portless) {
                continue;
            }
            List<EndpointPort> ports = endpoint.ports().stream()
                    .sorted(Comparator.comparing(PodEndpoint.ResolvedPort::name))
                    .map(p -> new EndpointPortBuilder().withAppProtocol(p.appProtocol())
                            .withName(p.name()).withPort(p.port()).withProtocol(p.protocol()).build()).toList();
            groups.computeIfAbsent(ports, k -> new ArrayList<>()).add(endpoint(endpoint, nodeZones));
        }
        List<SliceContent> slices = new ArrayList<>();
        groups.forEach((ports, group) -> {
            for (int from = 0; from < group.size(); from += maxPerSlice) {
                slices.add(new SliceContent(ports, List.copyOf(group.subList(from, Math.min(group.size(), from + maxPerSlice)))));
            }
        });
        return slices;
    }

    /** The labels of a slice this controller manages for the service. */
    public static Map<String, String> labels(Service service) {
        Map<String, String> labels = new HashMap<>(DesiredEndpoints.labels(service));
        labels.put(SERVICE_NAME_LABEL, service.getMetadata().getName());
        labels.put(MANAGED_BY_LABEL, CONTROLLER_NAME);
        return labels;
    }

    private static Endpoint endpoint(PodEndpoint e, Map<String, String> nodeZones) {
        return new EndpointBuilder()
                .withAddresses(e.ip())
                .withNewConditions().withReady(e.ready()).withServing(e.serving()).withTerminating(e.terminating()).endConditions()
                .withHostname(e.hostname())
                .withNodeName(e.nodeName())
                .withZone(e.nodeName() == null ? null : nodeZones.get(e.nodeName()))
                .withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withNamespace(e.pod().getMetadata().getNamespace())
                        .withName(e.pod().getMetadata().getName()).withUid(e.pod().getMetadata().getUid()).build())
                .build();
    }
}
