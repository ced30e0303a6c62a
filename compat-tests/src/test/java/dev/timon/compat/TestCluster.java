package dev.timon.compat;

import dev.timon.controlplane.TestControlPlane;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Path;

/**
 * A real cluster for the compatibility tests: the control plane's shared {@link TestControlPlane} (a private etcd
 * and the control plane started in this JVM with the same code `./timon up` runs), plus the real kubectl pointed
 * at it. One cluster serves every test class of a run; it is stopped when the JVM exits.
 */
public final class TestCluster {

    private static TestCluster shared;

    private final TestControlPlane controlPlane;

    private TestCluster(TestControlPlane controlPlane) {
        this.controlPlane = controlPlane;
    }

    public static synchronized TestCluster get() throws Exception {
        if (shared == null) {
            shared = new TestCluster(TestControlPlane.get());
        }
        return shared;
    }

    public Path kubeconfig() {
        return controlPlane.kubeconfig();
    }

    public int apiPort() {
        return controlPlane.apiPort();
    }

    public Path dir() {
        return controlPlane.dir();
    }

    /** A fabric8 client of this cluster, configured as the controllers' own; the caller closes it. */
    public KubernetesClient newClient() {
        return controlPlane.newClient();
    }

    public Kubectl kubectl() {
        return new Kubectl(kubeconfig(), dir().resolve("kubectl"));
    }
}
