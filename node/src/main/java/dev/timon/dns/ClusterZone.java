package dev.timon.dns;

import dev.timon.proxy.ServicePlanner;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster.local zone, answered from watched Services and EndpointSlices:
 * {@code <svc>.<ns>.svc} (A: the cluster IP, or ready endpoint IPs for headless services; CNAME for ExternalName),
 * {@code <host>.<svc>.<ns>.svc} (A of the endpoint with that hostname or dashed IP, e.g. StatefulSet pods),
 * {@code _<port>._<proto>.<svc>.<ns>.svc} (SRV for named ports), and PTR for service and endpoint IPs.
 */
public final class ClusterZone {

    static final String BY_SERVICE = "byServiceName";
    static final long TTL = 5;

    private final Name origin;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;

    /** The slice informer must not be started yet: an index by owning service is added to it. */
    public ClusterZone(String domain, SharedIndexInformer<Service> services, SharedIndexInformer<EndpointSlice> slices) {
        this.origin = name(domain + ".");
        this.services = services;
        this.slices = slices;
        slices.addIndexers(Map.of(BY_SERVICE, s -> {
            String service = ServicePlanner.serviceNameOf(s);
            return service == null ? List.of() : List.of(s.getMetadata().getNamespace() + "/" + service);
        }));
    }

    public Name origin() {
        return origin;
    }

    /** An answer: rcode plus the answer and additional records (NOERROR with no answer means "no such type"). */
    public record Answer(int rcode, List<Record> answers, List<Record> additional) {
        static Answer nxdomain() {
            return new Answer(Rcode.NXDOMAIN, List.of(), List.of());
        }
    }

    /** Answers a question for a name inside this zone. */
    public Answer lookup(Name qname, int type) {
        String relative = qname.relativize(origin).toString(true).toLowerCase(Locale.ROOT);
        String[] labels = relative.split("\\.");
        int n = labels.length;
        if (n < 3 || !labels[n - 1].equals("svc")) {
            return Answer.nxdomain();
        }
        Service service = services.getStore().getByKey(labels[n - 2] + "/" + labels[n - 3]);
        if (service == null) {
            return Answer.nxdomain();
        }
        return switch (n) {
            case 3 -> serviceAnswer(qname, service, type);
            case 4 -> endpointAnswer(qname, service, labels[0], type);
            case 5 -> labels[0].startsWith("_") && labels[1].startsWith("_")
                    ? srvAnswer(qname, service, labels[0].substring(1), labels[1].substring(1), type)
                    : Answer.nxdomain();
            default -> Answer.nxdomain();
        };
    }

    private Answer serviceAnswer(Name qname, Service service, int type) {
        if ("ExternalName".equals(service.getSpec().getType())) {
            return type == Type.A || type == Type.CNAME || type == Type.ANY
                    ? ok(List.of(new CNAMERecord(qname, DClass.IN, TTL, name(service.getSpec().getExternalName() + "."))))
                    : ok(List.of());
        }
        if (type != Type.A && type != Type.ANY) {
            return ok(List.of());
        }
        String clusterIp = service.getSpec().getClusterIP();
        if (clusterIp != null && !clusterIp.isEmpty() && !"None".equals(clusterIp)) {
            return ok(List.of(a(qname, clusterIp)));
        }
        List<Record> records = new ArrayList<>();
        for (ReadyEndpoint endpoint : readyEndpoints(service)) {
            records.add(a(qname, endpoint.ip()));
        }
        return ok(records);
    }

    private Answer endpointAnswer(Name qname, Service service, String host, int type) {
        List<Record> records = new ArrayList<>();
        for (ReadyEndpoint endpoint : readyEndpoints(service)) {
            if (endpoint.label().equals(host) && (type == Type.A || type == Type.ANY)) {
                records.add(a(qname, endpoint.ip()));
            } else if (endpoint.label().equals(host)) {
                return ok(List.of());
            }
        }
        return records.isEmpty() ? Answer.nxdomain() : ok(records);
    }

    private Answer srvAnswer(Name qname, Service service, String portName, String protocol, int type) {
        Optional<ServicePort> port = service.getSpec().getPorts() == null ? Optional.empty() : service.getSpec().getPorts().stream()
                .filter(p -> portName.equals(p.getName()) && protocol.equalsIgnoreCase(p.getProtocol() == null ? "TCP" : p.getProtocol()))
                .findFirst();
        if (port.isEmpty()) {
            return Answer.nxdomain();
        }
        if (type != Type.SRV && type != Type.ANY) {
            return ok(List.of());
        }
        Name serviceName = serviceName(service);
        String clusterIp = service.getSpec().getClusterIP();
        if (clusterIp != null && !clusterIp.isEmpty() && !"None".equals(clusterIp)) {
            return new Answer(Rcode.NOERROR, List.of(new SRVRecord(qname, DClass.IN, TTL, 0, 100, port.get().getPort(), serviceName)),
                    List.of(a(serviceName, clusterIp)));
        }
        // Headless: one SRV per endpoint, pointing at the endpoint's own name and port.
        List<Record> answers = new ArrayList<>();
        List<Record> additional = new ArrayList<>();
        for (ReadyEndpoint endpoint : readyEndpoints(service)) {
            Integer number = endpoint.ports().get(portName);
            if (number != null) {
                Name target = child(endpoint.label(), serviceName);
                answers.add(new SRVRecord(qname, DClass.IN, TTL, 0, 100, number, target));
                additional.add(a(target, endpoint.ip()));
            }
        }
        return new Answer(Rcode.NOERROR, answers, additional);
    }

    /** The PTR answer for an IPv4 address, if it is a service's cluster IP or an endpoint's address. */
    public Optional<Answer> reverse(Name qname, String ip) {
        for (Service service : services.getStore().list()) {
            if (ip.equals(service.getSpec().getClusterIP())) {
                return Optional.of(ok(List.of(new PTRRecord(qname, DClass.IN, TTL, serviceName(service)))));
            }
        }
        for (Service service : services.getStore().list()) {
            for (ReadyEndpoint endpoint : readyEndpoints(service)) {
                if (endpoint.ip().equals(ip)) {
                    return Optional.of(ok(List.of(new PTRRecord(qname, DClass.IN, TTL, child(endpoint.label(), serviceName(service))))));
                }
            }
        }
        return Optional.empty();
    }

    /** A ready endpoint: its address, its DNS label (hostname, or the address with dashes) and its named ports. */
    private record ReadyEndpoint(String ip, String label, Map<String, Integer> ports) {
    }

    private List<ReadyEndpoint> readyEndpoints(Service service) {
        List<ReadyEndpoint> endpoints = new ArrayList<>();
        String key = service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
        for (EndpointSlice slice : slices.getIndexer().byIndex(BY_SERVICE, key)) {
            if (slice.getEndpoints() == null) {
                continue;
            }
            Map<String, Integer> ports = new java.util.HashMap<>();
            if (slice.getPorts() != null) {
                for (EndpointPort port : slice.getPorts()) {
                    if (port.getName() != null && port.getPort() != null) {
                        ports.put(port.getName(), port.getPort());
                    }
                }
            }
            for (Endpoint endpoint : slice.getEndpoints()) {
                boolean ready = endpoint.getConditions() == null || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
                if (!ready || endpoint.getAddresses() == null) {
                    continue;
                }
                for (String ip : endpoint.getAddresses()) {
                    String label = endpoint.getHostname() != null ? endpoint.getHostname() : ip.replace('.', '-');
                    endpoints.add(new ReadyEndpoint(ip, label.toLowerCase(Locale.ROOT), ports));
                }
            }
        }
        return endpoints;
    }

    private Name serviceName(Service service) {
        return child(service.getMetadata().getName() + "." + service.getMetadata().getNamespace() + ".svc", origin);
    }

    private static Answer ok(List<Record> answers) {
        return new Answer(Rcode.NOERROR, answers, List.of());
    }

    private static ARecord a(Name name, String ip) {
        try {
            return new ARecord(name, DClass.IN, TTL, InetAddress.getByName(ip));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + ip, e);
        }
    }

    private static Name child(String labels, Name parent) {
        try {
            return Name.fromString(labels, parent);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + labels, e);
        }
    }

    static Name name(String absolute) {
        return child(absolute, null);
    }
}
