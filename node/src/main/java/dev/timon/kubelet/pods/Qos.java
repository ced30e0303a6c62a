package dev.timon.kubelet.pods;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import java.util.stream.Stream;

/** The pod's QoS class, computed as upstream does from cpu and memory requests and limits. */
public final class Qos {
    public static final String GUARANTEED = "Guaranteed";
    public static final String BURSTABLE = "Burstable";
    public static final String BEST_EFFORT = "BestEffort";

    private Qos() {
    }

    public static String of(Pod pod) {
        var containers = Stream.concat(pod.getSpec().getInitContainers().stream(), pod.getSpec().getContainers().stream()).toList();
        boolean any = false;
        boolean guaranteed = true;
        for (Container c : containers) {
            var requests = requests(c);
            var limits = limits(c);
            for (String resource : new String[] {"cpu", "memory"}) {
                Quantity request = requests.get(resource);
                Quantity limit = limits.get(resource);
                if (nonZero(request) || nonZero(limit)) {
                    any = true;
                }
                if (!nonZero(limit) || (request != null && Quantity.getAmountInBytes(request).compareTo(Quantity.getAmountInBytes(limit)) != 0)) {
                    guaranteed = false;
                }
            }
        }
        if (!any) {
            return BEST_EFFORT;
        }
        return guaranteed ? GUARANTEED : BURSTABLE;
    }

    /** Requests, defaulted from limits as the API server's defaulting would. */
    public static Map<String, Quantity> requests(Container c) {
        var resources = c.getResources();
        var merged = new java.util.HashMap<String, Quantity>();
        if (resources != null && resources.getLimits() != null) {
            merged.putAll(resources.getLimits());
        }
        if (resources != null && resources.getRequests() != null) {
            merged.putAll(resources.getRequests());
        }
        return merged;
    }

    public static Map<String, Quantity> limits(Container c) {
        var resources = c.getResources();
        return resources == null || resources.getLimits() == null ? Map.of() : resources.getLimits();
    }

    private static boolean nonZero(Quantity q) {
        return q != null && Quantity.getAmountInBytes(q).signum() > 0;
    }
}
