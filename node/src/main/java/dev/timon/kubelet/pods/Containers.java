package dev.timon.kubelet.pods;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.stream.Stream;

/** Lookups of a pod's containers by name. */
final class Containers {
    private Containers() {
    }

    static Container find(Pod pod, String name) {
        return Stream.concat(pod.getSpec().getInitContainers().stream(), pod.getSpec().getContainers().stream())
                .filter(c -> c.getName().equals(name)).findFirst().orElse(null);
    }

    static boolean isInit(Pod pod, String name) {
        return pod.getSpec().getInitContainers().stream().anyMatch(c -> c.getName().equals(name));
    }

    /** The event fieldPath upstream uses for a container. */
    static String fieldPath(Pod pod, String name) {
        return (isInit(pod, name) ? "spec.initContainers{" : "spec.containers{") + name + "}";
    }
}
