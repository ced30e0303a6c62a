package dev.timon.dns;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClusterDnsConfigTest {

    private static final ClusterDnsConfig.ResolvConf HOST =
            new ClusterDnsConfig.ResolvConf(List.of("192.0.2.53"), List.of("example.test"), List.of());

    @Test
    void clusterFirstPodsUseTheClusterDnsWithTheirNamespacesSearchPath() {
        ClusterDnsConfig.ResolvConf conf = ClusterDnsConfig.forPod("shop", new PodSpec(), HOST);
        assertEquals(List.of("10.96.0.10"), conf.nameservers());
        assertEquals(List.of("shop.svc.cluster.local", "svc.cluster.local", "cluster.local"), conf.searches());
        assertEquals(List.of("ndots:5"), conf.options());
    }

    @Test
    void hostNetworkDefaultAndNonePolicies() {
        assertEquals(HOST, ClusterDnsConfig.forPod("shop", new PodSpecBuilder().withHostNetwork(true).build(), HOST));
        assertEquals(List.of("10.96.0.10"), ClusterDnsConfig.forPod("shop", new PodSpecBuilder().withHostNetwork(true)
                .withDnsPolicy("ClusterFirstWithHostNet").build(), HOST).nameservers());
        assertEquals(HOST, ClusterDnsConfig.forPod("shop", new PodSpecBuilder().withDnsPolicy("Default").build(), HOST));
        PodSpec none = new PodSpecBuilder().withDnsPolicy("None").withNewDnsConfig().withNameservers("192.0.2.9")
                .addNewOption().withName("ndots").withValue("2").endOption().endDnsConfig().build();
        assertEquals(new ClusterDnsConfig.ResolvConf(List.of("192.0.2.9"), List.of(), List.of("ndots:2")),
                ClusterDnsConfig.forPod("shop", none, HOST));
    }

    @Test
    void podDnsConfigOptionsOverrideTheClusterOnes() {
        PodSpec spec = new PodSpecBuilder().withNewDnsConfig().withSearches("extra.test")
                .addNewOption().withName("ndots").withValue("2").endOption().addNewOption().withName("edns0").endOption()
                .endDnsConfig().build();
        ClusterDnsConfig.ResolvConf conf = ClusterDnsConfig.forPod("shop", spec, HOST);
        assertEquals(List.of("shop.svc.cluster.local", "svc.cluster.local", "cluster.local", "extra.test"), conf.searches());
        assertEquals(List.of("ndots:2", "edns0"), conf.options());
    }

    @Test
    void readsAResolvConf(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("resolv.conf");
        Files.writeString(file, "# comment\nnameserver 192.0.2.53\nnameserver 192.0.2.54\nsearch a.test b.test\noptions ndots:1 rotate\n");
        assertEquals(new ClusterDnsConfig.ResolvConf(List.of("192.0.2.53", "192.0.2.54"), List.of("a.test", "b.test"),
                List.of("ndots:1", "rotate")), ClusterDnsConfig.ResolvConf.read(file));
    }
}
