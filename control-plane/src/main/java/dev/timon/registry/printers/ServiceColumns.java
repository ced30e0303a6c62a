package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** core/v1 services: Name, Type, Cluster-IP, External-IP, Port(s), Age, then Selector (wide). */
public final class ServiceColumns {

    private ServiceColumns() {
    }

    public static List<TableColumn<Service>> columns() {
        return columns(Clock.systemUTC());
    }

    public static List<TableColumn<Service>> columns(Clock clock) {
        return List.of(
                CommonColumns.name(),
                TableColumn.of("Type", "string", "How the service is exposed.", s -> CommonColumns.text(spec(s).getType())),
                TableColumn.of("Cluster-IP", "string", "Virtual IP the service answers on inside the cluster.",
                        ServiceColumns::clusterIP),
                TableColumn.of("External-IP", "string", "Addresses the service answers on from outside the cluster.",
                        ServiceColumns::externalIP),
                TableColumn.of("Port(s)", "string", "Ports the service exposes, with node ports where allocated.",
                        s -> ports(spec(s).getPorts())),
                CommonColumns.age(clock),
                TableColumn.wide("Selector", "string", "Labels of the pods the service routes to.",
                        s -> LabelSelectors.formatLabels(spec(s).getSelector())));
    }

    // spec.clusterIP wins over spec.clusterIPs, as in the v1 to internal conversion the upstream printer sees.
    private static String clusterIP(Service s) {
        ServiceSpec spec = spec(s);
        if (spec.getClusterIP() != null && !spec.getClusterIP().isEmpty()) {
            return spec.getClusterIP();
        }
        return CommonColumns.list(spec.getClusterIPs()).stream().findFirst().orElse(CommonColumns.NONE);
    }

    private static String externalIP(Service s) {
        ServiceSpec spec = spec(s);
        List<String> externalIPs = CommonColumns.list(spec.getExternalIPs());
        String type = CommonColumns.text(spec.getType());
        switch (type) {
            case "ClusterIP", "NodePort" -> {
                return externalIPs.isEmpty() ? CommonColumns.NONE : String.join(",", externalIPs);
            }
            case "LoadBalancer" -> {
                // The server prints the wide form, so the address list is never shortened here.
                List<String> all = new ArrayList<>(loadBalancerAddresses(s));
                all.addAll(externalIPs);
                return all.isEmpty() ? "<pending>" : String.join(",", all);
            }
            case "ExternalName" -> {
                return CommonColumns.text(spec.getExternalName());
            }
            default -> {
                return CommonColumns.UNKNOWN;
            }
        }
    }

    /** Ingress IPs, or hostnames where there is no IP, sorted and without repeats. */
    private static TreeSet<String> loadBalancerAddresses(Service s) {
        TreeSet<String> addresses = new TreeSet<>();
        if (s.getStatus() == null || s.getStatus().getLoadBalancer() == null) {
            return addresses;
        }
        for (LoadBalancerIngress ingress : CommonColumns.list(s.getStatus().getLoadBalancer().getIngress())) {
            if (ingress.getIp() != null && !ingress.getIp().isEmpty()) {
                addresses.add(ingress.getIp());
            } else if (ingress.getHostname() != null && !ingress.getHostname().isEmpty()) {
                addresses.add(ingress.getHostname());
            }
        }
        return addresses;
    }

    private static String ports(List<ServicePort> ports) {
        if (ports == null || ports.isEmpty()) {
            return CommonColumns.NONE;
        }
        List<String> pieces = new ArrayList<>();
        for (ServicePort p : ports) {
            // Protocol is defaulted to TCP on write; the fallback only covers objects that skipped defaulting.
            String protocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
            long nodePort = CommonColumns.count(p.getNodePort());
            pieces.add(CommonColumns.count(p.getPort()) + (nodePort > 0 ? ":" + nodePort : "") + "/" + protocol);
        }
        return String.join(",", pieces);
    }

    private static ServiceSpec spec(Service s) {
        return s.getSpec() == null ? new ServiceSpec() : s.getSpec();
    }
}
