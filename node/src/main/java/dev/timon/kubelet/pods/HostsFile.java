package dev.timon.kubelet.pods;

import dev.timon.dns.ClusterDnsConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import runtime.v1.Api.Mount;

/**
 * The pod's {@code /etc/hosts}, managed by the agent as upstream's kubelet does: one file per pod
 * ({@code <pod dir>/etc-hosts}) bind-mounted into every container. A pod on the pod network gets localhost lines,
 * its IP with its hostname (and FQDN when it has a subdomain) and its hostAliases; a hostNetwork pod gets the
 * node's own file with the hostAliases added. As upstream, it is rewritten in place at every container start (so a
 * new sandbox's IP reaches it), and all containers of the pod share it.
 */
public final class HostsFile {
    static final String CONTAINER_PATH = "/etc/hosts";
    static final String FILE_NAME = "etc-hosts";
    private static final Path NODE_HOSTS = Path.of("/etc/hosts");

    private HostsFile() {
    }

    /** Writes the pod's hosts file and yields its mount. */
    static Mount write(Path podDir, Pod pod, String podIp) throws IOException {
        Path file = podDir.resolve(FILE_NAME);
        Files.createDirectories(podDir);
        String content = Boolean.TRUE.equals(pod.getSpec().getHostNetwork())
                ? nodeContent(Files.readString(NODE_HOSTS), pod.getSpec().getHostAliases())
                : managedContent(pod, podIp);
        // In place, not replaced: running containers have this very file (inode) bind-mounted.
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return Mount.newBuilder().setContainerPath(CONTAINER_PATH).setHostPath(file.toString()).build();
    }

    /** Whether the container gets the managed file: not when it mounts something of its own there. */
    static boolean wanted(Container container) {
        return container.getVolumeMounts().stream().noneMatch(m -> CONTAINER_PATH.equals(m.getMountPath()));
    }

    /** Upstream's managedHostsFileContent. */
    static String managedContent(Pod pod, String podIp) {
        var spec = pod.getSpec();
        String hostname = SandboxConfigs.hostname(pod);
        var out = new StringBuilder("# Kubernetes-managed hosts file.\n")
                .append("127.0.0.1\tlocalhost\n")
                .append("::1\tlocalhost ip6-localhost ip6-loopback\n")
                .append("fe00::0\tip6-localnet\n")
                .append("fe00::0\tip6-mcastprefix\n")
                .append("fe00::1\tip6-allnodes\n")
                .append("fe00::2\tip6-allrouters\n");
        if (podIp != null && !podIp.isEmpty()) {
            if (spec.getSubdomain() != null && !spec.getSubdomain().isEmpty()) {
                String domain = spec.getSubdomain() + "." + pod.getMetadata().getNamespace() + ".svc." + ClusterDnsConfig.DOMAIN;
                out.append(podIp).append('\t').append(hostname).append('.').append(domain).append('\t').append(hostname).append('\n');
            } else {
                out.append(podIp).append('\t').append(hostname).append('\n');
            }
        }
        return out.append(aliases(spec.getHostAliases())).toString();
    }

    /** Upstream's nodeHostsFileContent, for hostNetwork pods. */
    static String nodeContent(String nodeHosts, List<HostAlias> hostAliases) {
        return "# Kubernetes-managed hosts file (host network).\n" + nodeHosts + aliases(hostAliases);
    }

    /** One line per alias entry: its IP and all its hostnames. */
    private static String aliases(List<HostAlias> hostAliases) {
        if (hostAliases == null || hostAliases.isEmpty()) {
            return "";
        }
        var out = new StringBuilder("\n# Entries added by HostAliases.\n");
        for (HostAlias alias : hostAliases) {
            out.append(alias.getIp()).append('\t').append(String.join("\t", alias.getHostnames())).append('\n');
        }
        return out.toString();
    }
}
