package dev.timon.kubelet.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class HostsFileTest {
    private static final String LOCALHOST_LINES = """
            # Kubernetes-managed hosts file.
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            fe00::0\tip6-mcastprefix
            fe00::1\tip6-allnodes
            fe00::2\tip6-allrouters
            """;

    private static Pod pod(String hostname, String subdomain) {
        return new PodBuilder().withNewMetadata().withName("a-very-long-pod-name").withNamespace("shop").endMetadata()
                .withNewSpec().withHostname(hostname).withSubdomain(subdomain).endSpec().build();
    }

    @Test
    void podWithoutHostnameIsNamedAfterThePod() {
        assertEquals(LOCALHOST_LINES + "10.244.0.7\ta-very-long-pod-name\n", HostsFile.managedContent(pod(null, null), "10.244.0.7"));
    }

    @Test
    void hostnameWithSubdomainGetsItsFqdnFirst() {
        assertEquals(LOCALHOST_LINES + "10.244.0.7\tdb-0.db.shop.svc.cluster.local\tdb-0\n",
                HostsFile.managedContent(pod("db-0", "db"), "10.244.0.7"));
    }

    @Test
    void containerMountingItsOwnHostsFileKeepsIt() {
        assertTrue(HostsFile.wanted(new ContainerBuilder().withName("c").build()));
        assertFalse(HostsFile.wanted(new ContainerBuilder().withName("c").addNewVolumeMount().withName("v")
                .withMountPath("/etc/hosts").endVolumeMount().build()));
    }
}
