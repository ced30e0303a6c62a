package dev.timon.registry.resources;

import dev.timon.apimachinery.FieldErrors;
import dev.timon.apimachinery.Names;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Defaults and validation of a PodSpec, shared by pods and every workload's pod template. */
public final class PodTemplates {

    private PodTemplates() {
    }

    public static void applyDefaults(PodTemplateSpec template) {
        if (template != null && template.getSpec() != null) {
            applyDefaults(template.getSpec());
        }
    }

    /** The fields the upstream defaulters fill, so `get -o yaml` reads as on a real cluster. */
    public static void applyDefaults(PodSpec spec) {
        if (spec.getRestartPolicy() == null) {
            spec.setRestartPolicy("Always");
        }
        if (spec.getDnsPolicy() == null) {
            spec.setDnsPolicy("ClusterFirst");
        }
        if (spec.getTerminationGracePeriodSeconds() == null) {
            spec.setTerminationGracePeriodSeconds(30L);
        }
        if (spec.getSchedulerName() == null) {
            spec.setSchedulerName("default-scheduler");
        }
        if (spec.getSecurityContext() == null) {
            spec.setSecurityContext(new PodSecurityContext());
        }
        Stream.of(spec.getContainers(), spec.getInitContainers()).filter(l -> l != null).flatMap(List::stream)
                .forEach(PodTemplates::applyDefaults);
    }

    static void applyDefaults(Container c) {
        if (c.getTerminationMessagePath() == null) {
            c.setTerminationMessagePath("/dev/termination-log");
        }
        if (c.getTerminationMessagePolicy() == null) {
            c.setTerminationMessagePolicy("File");
        }
        if (c.getImagePullPolicy() == null && c.getImage() != null) {
            c.setImagePullPolicy(hasLatestOrNoTag(c.getImage()) ? "Always" : "IfNotPresent");
        }
        if (c.getResources() == null) {
            c.setResources(new ResourceRequirements());
        }
        if (c.getPorts() != null) {
            for (ContainerPort p : c.getPorts()) {
                if (p.getProtocol() == null) {
                    p.setProtocol("TCP");
                }
            }
        }
    }

    /** "busybox" and "busybox:latest" pull every time upstream; a digest or another tag does not. */
    static boolean hasLatestOrNoTag(String image) {
        if (image.contains("@")) {
            return false;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon <= slash || image.substring(colon + 1).equals("latest");
    }

    public static void validate(PodSpec spec, String path, FieldErrors errors) {
        if (spec == null) {
            errors.required(path);
            return;
        }
        List<Container> containers = spec.getContainers();
        if (containers == null || containers.isEmpty()) {
            errors.required(path + ".containers");
        }
        Set<String> names = new HashSet<>();
        validateContainers(spec.getInitContainers(), path + ".initContainers", names, errors);
        validateContainers(containers, path + ".containers", names, errors);
        if (spec.getRestartPolicy() != null && !List.of("Always", "OnFailure", "Never").contains(spec.getRestartPolicy())) {
            errors.notSupported(path + ".restartPolicy", spec.getRestartPolicy(), List.of("Always", "OnFailure", "Never"));
        }
        if (spec.getDnsPolicy() != null
                && !List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None").contains(spec.getDnsPolicy())) {
            errors.notSupported(path + ".dnsPolicy", spec.getDnsPolicy(),
                    List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"));
        }
    }

    private static void validateContainers(List<Container> containers, String path, Set<String> names, FieldErrors errors) {
        if (containers == null) {
            return;
        }
        for (int i = 0; i < containers.size(); i++) {
            Container c = containers.get(i);
            String at = path + "[" + i + "]";
            if (c.getName() == null || c.getName().isEmpty()) {
                errors.required(at + ".name");
            } else {
                Names.dns1123Label(c.getName()).ifPresent(e -> errors.invalid(at + ".name", c.getName(), e));
                if (!names.add(c.getName())) {
                    errors.duplicate(at + ".name", c.getName());
                }
            }
            if (c.getImage() == null || c.getImage().isBlank()) {
                errors.required(at + ".image");
            }
            List<ContainerPort> ports = c.getPorts() == null ? List.of() : c.getPorts();
            for (int p = 0; p < ports.size(); p++) {
                Integer port = ports.get(p).getContainerPort();
                if (port == null || port < 1 || port > 65535) {
                    errors.invalid(at + ".ports[" + p + "].containerPort", port, "must be between 1 and 65535, inclusive");
                }
            }
        }
    }

    /** Every container of a pod spec, init containers first, for columns and resource sums. */
    public static List<Container> allContainers(PodSpec spec) {
        List<Container> all = new ArrayList<>();
        if (spec.getInitContainers() != null) {
            all.addAll(spec.getInitContainers());
        }
        if (spec.getContainers() != null) {
            all.addAll(spec.getContainers());
        }
        return all;
    }
}
