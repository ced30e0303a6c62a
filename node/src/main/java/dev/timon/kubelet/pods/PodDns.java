package dev.timon.kubelet.pods;

import dev.timon.dns.ClusterDnsConfig;
import dev.timon.dns.ClusterDnsConfig.ResolvConf;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import runtime.v1.Api.DNSConfig;

/** A pod's DNS settings for its sandbox: the cluster DNS for ClusterFirst pods, as {@link ClusterDnsConfig} decides. */
public final class PodDns {
    private final ResolvConf host;

    private PodDns(ResolvConf host) {
        this.host = host;
    }

    public static PodDns read(Path hostResolvConf) {
        try {
            return new PodDns(ResolvConf.read(hostResolvConf));
        } catch (IOException e) {
            // No resolv.conf: pods that use the host's DNS get none, as on a host without one.
            return new PodDns(new ResolvConf(List.of(), List.of(), List.of()));
        }
    }

    public DNSConfig forPod(Pod pod) {
        ResolvConf conf = ClusterDnsConfig.forPod(pod.getMetadata().getNamespace(), pod.getSpec(), host);
        return DNSConfig.newBuilder().addAllServers(conf.nameservers()).addAllSearches(conf.searches())
                .addAllOptions(conf.options()).build();
    }
}
