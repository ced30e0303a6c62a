package dev.timon.proxy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns a Service and its EndpointSlices into what one node programs for it: pure, so it is unit-tested directly. */
public final class ServicePlanner {

    /** Upstream's annotation for topology-aware routing; "PreferClose" asks for the same-node preference here. */
    public static final String TOPOLOGY_MODE_ANNOTATION = "service.kubernetes.io/topology-mode";

    private ServicePlanner() {
    }

    /** The plans for every service, each with the slices labelled with its name. */
    public static List<ServicePortPlan> planAll(Collection<Service> services, Collection<EndpointSlice> slices,
                                                String nodeName) {
        Map<String, List<EndpointSlice>> byService = new HashMap<>();
        for (EndpointSlice slice : slices) {
            String service = serviceNameOf(slice);
            if (service != null) {
                byService.computeIfAbsent(slice.getMetadata().getNamespace() + "/" + service, k -> new ArrayList<>()).add(slice);
            }
        }
        List<ServicePortPlan> plans = new ArrayList<>();
        for (Service service : services) {
            String key = service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
            plans.addAll(plan(service, byService.getOrDefault(key, List.of()), nodeName));
        }
        return plans;
    }

    /** The plans for every port of the service; none for headless, ExternalName or IP-less services. */
    public static List<ServicePortPlan> plan(Service service, List<EndpointSlice> slices, String nodeName) {
        ServiceSpec spec = service.getSpec();
        if (spec == null || spec.getPorts() == null || !hasVirtualIp(spec)) {
            return List.of();
        }
        boolean preferLocal = prefersSameNode(service);
        boolean internalLocal = "Local".equals(spec.getInternalTrafficPolicy());
        boolean externalLocal = "Local".equals(spec.getExternalTrafficPolicy());
        boolean affinity = "ClientIP".equals(spec.getSessionAffinity());
        String ns = service.getMetadata().getNamespace();
        String name = service.getMetadata().getName();
        List<ServicePortPlan> plans = new ArrayList<>(spec.getPorts().size());
        for (ServicePort port : spec.getPorts()) {
            String protocol = port.getProtocol() == null ? "tcp" : port.getProtocol().toLowerCase(Locale.ROOT);
            List<Backend> all = backends(slices, port.getName(), port.getProtocol() == null ? "TCP" : port.getProtocol());
            List<Backend> local = all.stream().filter(b -> nodeName.equals(b.nodeName())).toList();
            List<Backend> preferred = preferLocal && !local.isEmpty() ? local : all;
            int nodePort = port.getNodePort() == null ? 0 : port.getNodePort();
            plans.add(new ServicePortPlan(ns + "/" + name + "/" + protocol + "/" + port.getPort(), protocol,
                    spec.getClusterIP(), port.getPort(), nodePort, internalLocal ? local : preferred,
                    externalLocal ? local : preferred, externalLocal, affinity));
        }
        return plans;
    }

    static boolean hasVirtualIp(ServiceSpec spec) {
        String ip = spec.getClusterIP();
        return ip != null && !ip.isEmpty() && !"None".equals(ip) && !"ExternalName".equals(spec.getType());
    }

    /** trafficDistribution PreferClose (or 1.33's PreferSameNode), or the topology-mode annotation set to PreferClose. */
    static boolean prefersSameNode(Service service) {
        String distribution = service.getSpec().getTrafficDistribution();
        if ("PreferClose".equals(distribution) || "PreferSameNode".equals(distribution)) {
            return true;
        }
        Map<String, String> annotations = service.getMetadata().getAnnotations();
        return annotations != null && "PreferClose".equals(annotations.get(TOPOLOGY_MODE_ANNOTATION));
    }

    /**
     * The endpoints serving the named port, with each endpoint's own port (a named target port may resolve to
     * different numbers per pod). Ready endpoints; when none is ready, serving terminating ones, as upstream does
     * so that a rolling update does not drop connections.
     */
    static List<Backend> backends(List<EndpointSlice> slices, String portName, String protocol) {
        Map<String, Backend> ready = new LinkedHashMap<>();
        Map<String, Backend> terminating = new LinkedHashMap<>();
        for (EndpointSlice slice : slices) {
            if (slice.getAddressType() != null && !"IPv4".equals(slice.getAddressType())) {
                continue;
            }
            Integer number = portNumber(slice, portName, protocol);
            if (number == null || slice.getEndpoints() == null) {
                continue;
            }
            for (Endpoint endpoint : slice.getEndpoints()) {
                if (endpoint.getAddresses() == null || endpoint.getAddresses().isEmpty()) {
                    continue;
                }
                Backend backend = new Backend(endpoint.getAddresses().get(0), number, endpoint.getNodeName());
                EndpointConditions conditions = endpoint.getConditions();
                String key = backend.ip() + ":" + number;
                if (conditions == null || conditions.getReady() == null || conditions.getReady()) {
                    ready.putIfAbsent(key, backend);
                } else if (Boolean.TRUE.equals(conditions.getServing()) && Boolean.TRUE.equals(conditions.getTerminating())) {
                    terminating.putIfAbsent(key, backend);
                }
            }
        }
        return List.copyOf(ready.isEmpty() ? terminating.values() : ready.values());
    }

    /** The slice's number for the service port, matched by name (unnamed is "") and protocol. */
    private static Integer portNumber(EndpointSlice slice, String portName, String protocol) {
        if (slice.getPorts() == null) {
            return null;
        }
        String wanted = portName == null ? "" : portName;
        for (EndpointPort port : slice.getPorts()) {
            String name = port.getName() == null ? "" : port.getName();
            String proto = port.getProtocol() == null ? "TCP" : port.getProtocol();
            if (name.equals(wanted) && proto.equals(protocol) && port.getPort() != null) {
                return port.getPort();
            }
        }
        return null;
    }

    /** The service name a slice belongs to, from its kubernetes.io/service-name label. */
    public static String serviceNameOf(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        return labels == null ? null : labels.get("kubernetes.io/service-name");
    }
}
