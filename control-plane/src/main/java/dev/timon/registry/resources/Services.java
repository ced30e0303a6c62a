package dev.timon.registry.resources;

import dev.timon.registry.printers.ServiceColumns;
import dev.timon.apimachinery.FieldErrors;
import dev.timon.apimachinery.Names;
import dev.timon.registry.ResourceDefinition;
import dev.timon.registry.ResourceStrategy;
import dev.timon.registry.Subresource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.ServiceStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * core/v1 services. ClusterIPs come from the service CIDR and NodePorts from 30000-32767; each one taken is a
 * reservation key in etcd written in the same transaction as the service, so two services never share one.
 */
public final class Services {

    /** 10.96.0.0/12 as upstream's default; .1 is the `kubernetes` service, .10 cluster DNS by convention. */
    static final int CIDR_BASE = (10 << 24) | (96 << 16);
    static final int CIDR_SIZE = 1 << 20;
    public static final String KUBERNETES_SERVICE_IP = "10.96.0.1";
    static final int NODE_PORT_MIN = 30000;
    static final int NODE_PORT_MAX = 32767;

    private Services() {
    }

    public static ResourceDefinition<Service> definition() {
        return ResourceDefinition.of(Service.class, "", "v1", "Service", "services")
                .shortNames("svc")
                .columns(ServiceColumns.columns())
                .inCategoryAll()
                .nameRule(Names.Rule.DNS1035_LABEL)
                .strategy(new Strategy())
                .subresources(Subresource.STATUS, Subresource.PROXY)
                .build();
    }

    static String ipKey(String ip) {
        return "/registry/ranges/serviceips/" + ip;
    }

    static String nodePortKey(String protocol, int port) {
        return "/registry/ranges/servicenodeports/" + protocol + "/" + port;
    }

    static final class Strategy implements ResourceStrategy<Service> {

        @Override
        public void prepareForCreate(Service service) {
            service.setStatus(new ServiceStatus());
        }

        @Override
        public void applyDefaults(Service service) {
            ServiceSpec spec = service.getSpec();
            if (spec == null) {
                return;
            }
            if (spec.getType() == null) {
                spec.setType("ClusterIP");
            }
            if (spec.getSessionAffinity() == null) {
                spec.setSessionAffinity("None");
            }
            if (spec.getPorts() != null) {
                for (ServicePort port : spec.getPorts()) {
                    if (port.getProtocol() == null) {
                        port.setProtocol("TCP");
                    }
                    boolean unset = port.getTargetPort() == null
                            || port.getTargetPort().getStrVal() == null && Integer.valueOf(0).equals(port.getTargetPort().getIntVal());
                    if (unset && port.getPort() != null) {
                        port.setTargetPort(new IntOrString(port.getPort()));
                    }
                }
            }
            if (!"ExternalName".equals(spec.getType())) {
                if (spec.getIpFamilies() == null || spec.getIpFamilies().isEmpty()) {
                    spec.setIpFamilies(List.of("IPv4"));
                }
                if (spec.getIpFamilyPolicy() == null) {
                    spec.setIpFamilyPolicy("SingleStack");
                }
                if (spec.getInternalTrafficPolicy() == null) {
                    spec.setInternalTrafficPolicy("Cluster");
                }
            }
            if (usesNodePorts(spec) && spec.getExternalTrafficPolicy() == null) {
                spec.setExternalTrafficPolicy("Cluster");
            }
        }

        @Override
        public boolean allocates() {
            return true;
        }

        @Override
        public void allocate(Service service, Service old, Allocator allocator) {
            ServiceSpec spec = service.getSpec();
            if (spec == null || "ExternalName".equals(spec.getType())) {
                return;
            }
            if (old != null && old.getSpec() != null && old.getSpec().getClusterIP() != null
                    && (spec.getClusterIP() == null || spec.getClusterIP().isEmpty())) {
                spec.setClusterIP(old.getSpec().getClusterIP());
            }
            if (spec.getClusterIP() == null || spec.getClusterIP().isEmpty()) {
                spec.setClusterIP(freeClusterIp(allocator));
            }
            spec.setClusterIPs(List.of(spec.getClusterIP()));
            if (usesNodePorts(spec) && spec.getPorts() != null) {
                for (int i = 0; i < spec.getPorts().size(); i++) {
                    ServicePort port = spec.getPorts().get(i);
                    if (port.getNodePort() == null || port.getNodePort() == 0) {
                        Integer previous = old == null || old.getSpec() == null || old.getSpec().getPorts() == null
                                ? null : old.getSpec().getPorts().stream()
                                .filter(p -> Objects.equals(p.getPort(), port.getPort())
                                        && Objects.equals(p.getProtocol(), port.getProtocol()))
                                .map(ServicePort::getNodePort).filter(Objects::nonNull).findFirst().orElse(null);
                        port.setNodePort(previous != null ? previous : freeNodePort(port.getProtocol(), allocator));
                    }
                }
            }
        }

        private static String freeClusterIp(Allocator allocator) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int attempt = 0; attempt < 4096; attempt++) {
                int offset = 2 + random.nextInt(CIDR_SIZE - 3);
                String ip = toIp(CIDR_BASE + offset);
                if (!allocator.isTaken(ipKey(ip))) {
                    return ip;
                }
            }
            throw new IllegalStateException("the service CIDR is full");
        }

        private static int freeNodePort(String protocol, Allocator allocator) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int attempt = 0; attempt < 8192; attempt++) {
                int port = NODE_PORT_MIN + random.nextInt(NODE_PORT_MAX - NODE_PORT_MIN + 1);
                if (!allocator.isTaken(nodePortKey(protocol, port))) {
                    return port;
                }
            }
            throw new IllegalStateException("no free node port");
        }

        @Override
        public Map<String, String> reservations(Service service) {
            Map<String, String> keys = new LinkedHashMap<>();
            ServiceSpec spec = service.getSpec();
            if (spec == null) {
                return keys;
            }
            if (spec.getClusterIP() != null && !spec.getClusterIP().isEmpty() && !"None".equals(spec.getClusterIP())) {
                keys.put(ipKey(spec.getClusterIP()), "clusterIP");
            }
            if (spec.getPorts() != null) {
                for (ServicePort port : spec.getPorts()) {
                    if (port.getNodePort() != null && port.getNodePort() > 0) {
                        keys.put(nodePortKey(port.getProtocol(), port.getNodePort()), "nodePort");
                    }
                }
            }
            return keys;
        }

        @Override
        public void validate(Service service, FieldErrors errors) {
            ServiceSpec spec = service.getSpec();
            if (spec == null) {
                errors.required("spec");
                return;
            }
            List<String> types = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
            if (!types.contains(spec.getType())) {
                errors.notSupported("spec.type", spec.getType(), types);
            }
            boolean headless = "None".equals(spec.getClusterIP());
            if (!"ExternalName".equals(spec.getType()) && !headless && (spec.getPorts() == null || spec.getPorts().isEmpty())) {
                errors.required("spec.ports");
            }
            List<ServicePort> ports = spec.getPorts() == null ? List.of() : spec.getPorts();
            for (int i = 0; i < ports.size(); i++) {
                ServicePort p = ports.get(i);
                String at = "spec.ports[" + i + "]";
                if (p.getPort() == null || p.getPort() < 1 || p.getPort() > 65535) {
                    errors.invalid(at + ".port", p.getPort(), "must be between 1 and 65535, inclusive");
                }
                if (ports.size() > 1 && (p.getName() == null || p.getName().isEmpty())) {
                    errors.required(at + ".name");
                }
                if (p.getNodePort() != null && p.getNodePort() != 0) {
                    if (!usesNodePorts(spec)) {
                        errors.forbidden(at + ".nodePort", "may not be used when `type` is '" + spec.getType() + "'");
                    } else if (p.getNodePort() < NODE_PORT_MIN || p.getNodePort() > NODE_PORT_MAX) {
                        errors.invalid(at + ".nodePort", p.getNodePort(), "provided port is not in the valid range. "
                                + "The range of valid ports is " + NODE_PORT_MIN + "-" + NODE_PORT_MAX);
                    }
                }
            }
        }

        @Override
        public void validateUpdate(Service service, Service old, FieldErrors errors) {
            if (old.getSpec() == null || service.getSpec() == null) {
                return;
            }
            String oldIp = old.getSpec().getClusterIP();
            if (oldIp != null && !oldIp.isEmpty() && !"ExternalName".equals(service.getSpec().getType())
                    && !oldIp.equals(service.getSpec().getClusterIP())) {
                errors.immutable("spec.clusterIPs[0]", service.getSpec().getClusterIP());
            }
        }

        @Override
        public Map<String, String> selectableFields(Service service) {
            return Map.of("spec.clusterIP", service.getSpec() == null ? "" : Objects.toString(service.getSpec().getClusterIP(), ""),
                    "spec.type", service.getSpec() == null ? "" : Objects.toString(service.getSpec().getType(), ""));
        }

        @Override
        public List<String> selectableFieldNames() {
            return List.of("spec.clusterIP", "spec.type");
        }
    }

    static boolean usesNodePorts(ServiceSpec spec) {
        return "NodePort".equals(spec.getType()) || "LoadBalancer".equals(spec.getType());
    }

    static String toIp(int address) {
        return ((address >>> 24) & 255) + "." + ((address >>> 16) & 255) + "." + ((address >>> 8) & 255) + "." + (address & 255);
    }
}
