package dev.timon.controllers.endpoints;

import dev.timon.controllers.PodConditions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One pod as an endpoint of one service: its address, readiness and the service ports resolved against its
 * containers. Both the Endpoints and the EndpointSlice controllers start from this.
 *
 * @param ports the service ports this pod serves; a named target port the pod does not declare is left out
 */
public record PodEndpoint(Pod pod, String ip, boolean ready, boolean serving, boolean terminating,
                          String hostname, String nodeName, List<ResolvedPort> ports) {

    /** A service port with its target resolved for one pod. */
    public record ResolvedPort(String name, int port, String protocol, String appProtocol) {
    }

    /**
     * The endpoints of a service's pods (already selected by its selector). Pods without an IP and finished
     * pods never count; terminating pods only when {@code includeTerminating} (slices keep them with
     * terminating=true, Endpoints drop them) or when the service publishes not-ready addresses.
     */
    public static List<PodEndpoint> of(Service service, List<Pod> pods, boolean includeTerminating) {
        boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        List<PodEndpoint> endpoints = new ArrayList<>();
        for (Pod pod : pods) {
            String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
            boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
            if (ip == null || ip.isEmpty() || PodConditions.isFinished(pod) || terminating && !includeTerminating && !publishNotReady) {
                continue;
            }
            boolean podReady = PodConditions.isReady(pod);
            endpoints.add(new PodEndpoint(pod, ip, publishNotReady || podReady && !terminating, publishNotReady || podReady,
                    terminating, hostnameFor(pod, service), pod.getSpec().getNodeName(), resolvePorts(service, pod)));
        }
        endpoints.sort(Comparator.comparing(PodEndpoint::ip).thenComparing(e -> e.pod().getMetadata().getName()));
        return endpoints;
    }

    /** A pod's hostname is published only for the service its subdomain names (how headless DNS finds it). */
    private static String hostnameFor(Pod pod, Service service) {
        String hostname = pod.getSpec().getHostname();
        return hostname != null && !hostname.isEmpty() && Objects.equals(pod.getSpec().getSubdomain(), service.getMetadata().getName())
                && Objects.equals(pod.getMetadata().getNamespace(), service.getMetadata().getNamespace()) ? hostname : null;
    }

    private static List<ResolvedPort> resolvePorts(Service service, Pod pod) {
        List<ResolvedPort> ports = new ArrayList<>();
        for (ServicePort sp : Optional.ofNullable(service.getSpec().getPorts()).orElse(List.of())) {
            String protocol = Objects.requireNonNullElse(sp.getProtocol(), "TCP");
            findPort(pod, sp.getTargetPort() == null ? new IntOrString(sp.getPort()) : sp.getTargetPort(), protocol)
                    .ifPresent(port -> ports.add(new ResolvedPort(sp.getName() == null ? "" : sp.getName(), port, protocol,
                            sp.getAppProtocol())));
        }
        return ports;
    }

    /** A numeric target port as is; a named one is the container port of that name and protocol. */
    static Optional<Integer> findPort(Pod pod, IntOrString target, String protocol) {
        if (target.getStrVal() == null) {
            return Optional.ofNullable(target.getIntVal());
        }
        for (Container container : pod.getSpec().getContainers()) {
            for (ContainerPort port : Optional.ofNullable(container.getPorts()).orElse(List.of())) {
                if (target.getStrVal().equals(port.getName())
                        && protocol.equals(Objects.requireNonNullElse(port.getProtocol(), "TCP"))) {
                    return Optional.of(port.getContainerPort());
                }
            }
        }
        return Optional.empty();
    }
}
