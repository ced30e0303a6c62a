package dev.timon.kubelet.env;

import dev.timon.kubelet.pods.Qos;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The downward API: values of fieldRef and resourceFieldRef selectors, shared by env vars and volumes.
 *
 * @param allocatable node allocatable, which stands in for an unset limit as upstream does
 */
public record PodFields(Pod pod, String podIp, String hostIp, Map<String, Quantity> allocatable) {

    public String field(ObjectFieldSelector selector) throws ConfigException {
        var meta = pod.getMetadata();
        String path = selector.getFieldPath();
        return switch (path) {
            case "metadata.name" -> meta.getName();
            case "metadata.namespace" -> meta.getNamespace();
            case "metadata.uid" -> meta.getUid();
            case "metadata.labels" -> formatMap(meta.getLabels());
            case "metadata.annotations" -> formatMap(meta.getAnnotations());
            case "spec.nodeName" -> pod.getSpec().getNodeName();
            case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
            case "status.podIP", "status.podIPs" -> podIp;
            case "status.hostIP", "status.hostIPs" -> hostIp;
            default -> subscript(path);
        };
    }

    public String resource(ResourceFieldSelector selector, Container fallback) throws ConfigException {
        Container container = fallback;
        if (selector.getContainerName() != null && !selector.getContainerName().isEmpty()) {
            container = pod.getSpec().getContainers().stream()
                    .filter(c -> c.getName().equals(selector.getContainerName())).findFirst()
                    .orElseThrow(() -> new ConfigException("resourceFieldRef: no container " + selector.getContainerName()));
        }
        String resource = selector.getResource();
        int dot = resource.indexOf('.');
        if (dot < 0) {
            throw new ConfigException("unsupported resourceFieldRef " + resource);
        }
        String name = resource.substring(dot + 1);
        Quantity value = resource.startsWith("limits.") ? Qos.limits(container).get(name) : Qos.requests(container).get(name);
        if (value == null) {
            value = resource.startsWith("limits.") ? allocatable.get(name) : new Quantity("0");
        }
        if (value == null) {
            return "0";
        }
        BigDecimal divisor = selector.getDivisor() == null ? BigDecimal.ONE : Quantity.getAmountInBytes(selector.getDivisor());
        if (divisor.signum() == 0) {
            divisor = BigDecimal.ONE;
        }
        // Upstream rounds up: 250m cpu with divisor 1 reads "1".
        return Quantity.getAmountInBytes(value).divide(divisor, 0, RoundingMode.CEILING).toPlainString();
    }

    private String subscript(String path) throws ConfigException {
        var meta = pod.getMetadata();
        for (var prefix : new String[] {"metadata.labels['", "metadata.annotations['"}) {
            if (path.startsWith(prefix) && path.endsWith("']")) {
                String key = path.substring(prefix.length(), path.length() - 2);
                var map = prefix.contains("labels") ? meta.getLabels() : meta.getAnnotations();
                return map == null ? "" : map.getOrDefault(key, "");
            }
        }
        throw new ConfigException("unsupported fieldRef " + path);
    }

    /** key="value" lines, sorted, as upstream writes labels and annotations. */
    private static String formatMap(Map<String, String> map) {
        if (map == null) {
            return "";
        }
        return new TreeMap<>(map).entrySet().stream()
                .map(e -> e.getKey() + "=\"" + e.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"")
                .collect(Collectors.joining("\n"));
    }
}
