package dev.timon.scheduler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A pod with what scheduling needs computed once: resource requests (cpu in millicores, everything else in base
 * units), the non-zero requests upstream scores with (100m cpu, 200Mi memory for containers that ask for nothing),
 * host ports, the controller owner, the required pod anti-affinity terms and the nodeSelector (null when empty),
 * interned: pods with equal selectors share one map, which lets a node remember its answer by identity.
 */
public record PodInfo(Pod pod, Map<String, Long> requests, long nonZeroCpu, long nonZeroMemory,
                      List<String> hostPorts, String ownerUid, List<PodAffinityTerm> requiredAntiAffinity,
                      Map<String, String> nodeSelector) {

    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String PODS = "pods";
    static final long DEFAULT_CPU = 100;
    static final long DEFAULT_MEMORY = 200L * 1024 * 1024;
    /** Distinct nodeSelectors seen; forgotten wholesale past the bound, which only costs sharing. */
    private static final Map<Map<String, String>, Map<String, String>> SELECTORS = new ConcurrentHashMap<>();
    private static final int MAX_SELECTORS = 4_096;

    public static PodInfo of(Pod pod) {
        Map<String, Long> requests = new HashMap<>();
        long nonZeroCpu = 0;
        long nonZeroMemory = 0;
        List<String> ports = new ArrayList<>();
        for (Container container : pod.getSpec().getContainers()) {
            Map<String, Quantity> asked = container.getResources() == null ? null : container.getResources().getRequests();
            Map<String, Long> own = amounts(asked);
            own.forEach((name, amount) -> requests.merge(name, amount, Long::sum));
            nonZeroCpu += own.getOrDefault(CPU, DEFAULT_CPU);
            nonZeroMemory += own.getOrDefault(MEMORY, DEFAULT_MEMORY);
            if (container.getPorts() != null) {
                for (ContainerPort port : container.getPorts()) {
                    if (port.getHostPort() != null && port.getHostPort() > 0) {
                        String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
                        ports.add(protocol + "/" + port.getHostPort());
                    }
                }
            }
        }
        // An init container runs alone, so the pod needs at least the largest one's requests.
        if (pod.getSpec().getInitContainers() != null) {
            for (Container init : pod.getSpec().getInitContainers()) {
                Map<String, Quantity> asked = init.getResources() == null ? null : init.getResources().getRequests();
                amounts(asked).forEach((name, amount) -> requests.merge(name, amount, Math::max));
            }
        }
        if (pod.getSpec().getOverhead() != null) {
            amounts(pod.getSpec().getOverhead()).forEach((name, amount) -> requests.merge(name, amount, Long::sum));
        }
        String owner = pod.getMetadata().getOwnerReferences() == null ? null : pod.getMetadata().getOwnerReferences()
                .stream().filter(r -> Boolean.TRUE.equals(r.getController())).map(r -> r.getUid()).findFirst().orElse(null);
        return new PodInfo(pod, requests, nonZeroCpu, nonZeroMemory, ports, owner, requiredAntiAffinity(pod),
                intern(pod.getSpec().getNodeSelector()));
    }

    private static Map<String, String> intern(Map<String, String> selector) {
        if (selector == null || selector.isEmpty()) {
            return null;
        }
        if (SELECTORS.size() > MAX_SELECTORS) {
            SELECTORS.clear();
        }
        Map<String, String> copy = Map.copyOf(selector);
        Map<String, String> shared = SELECTORS.putIfAbsent(copy, copy);
        return shared == null ? copy : shared;
    }

    private static List<PodAffinityTerm> requiredAntiAffinity(Pod pod) {
        var affinity = pod.getSpec().getAffinity();
        if (affinity == null || affinity.getPodAntiAffinity() == null
                || affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return List.of();
        }
        return affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    }

    /** Quantities as longs: cpu in millicores, the rest rounded up to whole units. */
    public static Map<String, Long> amounts(Map<String, Quantity> quantities) {
        Map<String, Long> amounts = new HashMap<>();
        if (quantities != null) {
            quantities.forEach((name, quantity) -> amounts.put(name, amount(name, quantity)));
        }
        return amounts;
    }

    static long amount(String name, Quantity quantity) {
        BigDecimal value = quantity.getNumericalAmount();
        if (CPU.equals(name)) {
            value = value.multiply(BigDecimal.valueOf(1000));
        }
        return value.setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }
}
