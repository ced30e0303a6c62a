package dev.timon.kubelet.pods;

import dev.timon.kubelet.node.PodCgroups;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import runtime.v1.Api.Int64Value;
import runtime.v1.Api.LinuxPodSandboxConfig;
import runtime.v1.Api.LinuxSandboxSecurityContext;
import runtime.v1.Api.NamespaceMode;
import runtime.v1.Api.NamespaceOption;
import runtime.v1.Api.PodSandboxConfig;
import runtime.v1.Api.PodSandboxMetadata;
import runtime.v1.Api.PortMapping;
import runtime.v1.Api.Protocol;

/** Builds a pod's PodSandboxConfig; deterministic, because CreateContainer must repeat the one the sandbox ran with. */
public final class SandboxConfigs {
    private final Path podLogsRoot;
    private final PodDns dns;
    private final PodCgroups cgroups;

    public SandboxConfigs(Path podLogsRoot, PodDns dns, PodCgroups cgroups) {
        this.podLogsRoot = podLogsRoot;
        this.dns = dns;
        this.cgroups = cgroups;
    }

    /** CRI log layout, as upstream: {@code <root>/<ns>_<pod>_<uid>/<container>/<restart>.log}. */
    public Path logDirectory(Pod pod) {
        var meta = pod.getMetadata();
        return podLogsRoot.resolve(meta.getNamespace() + "_" + meta.getName() + "_" + meta.getUid());
    }

    public PodSandboxConfig build(Pod pod, int attempt) {
        var meta = pod.getMetadata();
        var spec = pod.getSpec();
        boolean hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());
        var builder = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(meta.getName()).setNamespace(meta.getNamespace())
                        .setUid(meta.getUid()).setAttempt(attempt))
                // A hostNetwork pod shares the node's UTS namespace, where runc refuses to set a hostname; as
                // upstream, it gets none and so keeps the node's.
                .setHostname(hostNetwork ? "" : hostname(pod))
                .setLogDirectory(logDirectory(pod).toString())
                .setDnsConfig(dns.forPod(pod));
        if (meta.getLabels() != null) {
            builder.putAllLabels(meta.getLabels());
        }
        if (meta.getAnnotations() != null) {
            builder.putAllAnnotations(meta.getAnnotations());
        }
        builder.putLabels(RuntimeLabels.POD_UID, meta.getUid())
                .putLabels(RuntimeLabels.POD_NAME, meta.getName())
                .putLabels(RuntimeLabels.POD_NAMESPACE, meta.getNamespace());
        for (var container : spec.getContainers()) {
            for (var port : container.getPorts()) {
                if (port.getHostPort() == null || port.getHostPort() == 0) {
                    continue;
                }
                builder.addPortMappings(PortMapping.newBuilder()
                        .setProtocol(protocol(port.getProtocol()))
                        .setContainerPort(port.getContainerPort())
                        .setHostPort(port.getHostPort())
                        .setHostIp(port.getHostIP() == null ? "" : port.getHostIP()));
            }
        }
        var security = LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(namespaces(pod));
        var podSecurity = spec.getSecurityContext();
        if (podSecurity != null) {
            if (podSecurity.getRunAsUser() != null) {
                security.setRunAsUser(Int64Value.newBuilder().setValue(podSecurity.getRunAsUser()));
            }
            if (podSecurity.getRunAsGroup() != null) {
                security.setRunAsGroup(Int64Value.newBuilder().setValue(podSecurity.getRunAsGroup()));
            }
            podSecurity.getSupplementalGroups().forEach(security::addSupplementalGroups);
            if (podSecurity.getFsGroup() != null) {
                security.addSupplementalGroups(podSecurity.getFsGroup());
            }
        }
        security.setPrivileged(spec.getContainers().stream().anyMatch(c -> c.getSecurityContext() != null
                && Boolean.TRUE.equals(c.getSecurityContext().getPrivileged())));
        var linux = LinuxPodSandboxConfig.newBuilder()
                .setCgroupParent(cgroups.parentFor(Qos.of(pod), meta.getUid()))
                .setSecurityContext(security);
        if (podSecurity != null) {
            podSecurity.getSysctls().forEach(s -> linux.putSysctls(s.getName(), s.getValue()));
        }
        return builder.setLinux(linux).build();
    }

    /** The namespaces containers share: network per pod (or the node's), PID per container unless shared. */
    static NamespaceOption namespaces(Pod pod) {
        var spec = pod.getSpec();
        NamespaceMode pid = Boolean.TRUE.equals(spec.getHostPID()) ? NamespaceMode.NODE
                : Boolean.TRUE.equals(spec.getShareProcessNamespace()) ? NamespaceMode.POD : NamespaceMode.CONTAINER;
        return NamespaceOption.newBuilder()
                .setNetwork(Boolean.TRUE.equals(spec.getHostNetwork()) ? NamespaceMode.NODE : NamespaceMode.POD)
                .setIpc(Boolean.TRUE.equals(spec.getHostIPC()) ? NamespaceMode.NODE : NamespaceMode.POD)
                .setPid(pid)
                .build();
    }

    /** The pod's hostname as upstream derives it: spec.hostname, else the pod name, as one DNS label. */
    static String hostname(Pod pod) {
        String name = pod.getSpec().getHostname() != null && !pod.getSpec().getHostname().isEmpty()
                ? pod.getSpec().getHostname() : pod.getMetadata().getName();
        // A hostname is one DNS label; upstream truncates long pod names the same way.
        name = name.length() > 63 ? name.substring(0, 63) : name;
        return name.replaceAll("[-.]+$", "");
    }

    private static Protocol protocol(String protocol) {
        return "UDP".equals(protocol) ? Protocol.UDP : "SCTP".equals(protocol) ? Protocol.SCTP : Protocol.TCP;
    }
}
