package dev.timon.controlplane;

import dev.timon.client.KubeClients;
import dev.timon.storage.TestEtcd;
import dev.timon.testing.TempFolders;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real control plane for the tests of every module: a private etcd ({@link TestEtcd}) and the API server on a
 * free loopback port, with its state in a fresh folder; started once per test JVM and stopped when it exits.
 */
public final class TestControlPlane {

    private static TestControlPlane shared;

    private final TestEtcd etcd;
    private final ControlPlane controlPlane;
    private final Path dir;
    private final int apiPort;

    private TestControlPlane(TestEtcd etcd, ControlPlane controlPlane, Path dir, int apiPort) {
        this.etcd = etcd;
        this.controlPlane = controlPlane;
        this.dir = dir;
        this.apiPort = apiPort;
    }

    public static synchronized TestControlPlane get() throws Exception {
        if (shared == null) {
            TestEtcd etcd = TestEtcd.start();
            etcd.connect().close(); // returns once etcd answers
            Path dir = Files.createTempDirectory("timon-control-plane");
            int apiPort = TestEtcd.freePort();
            ControlPlane controlPlane = ControlPlane.start(new ControlPlaneConfig(dir, etcd.endpoint(), "127.0.0.1", apiPort));
            shared = new TestControlPlane(etcd, controlPlane, dir, apiPort);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "test-control-plane-stop"));
        }
        return shared;
    }

    public Path kubeconfig() {
        return controlPlane.kubeconfig();
    }

    public int apiPort() {
        return apiPort;
    }

    /** The control plane's data folder (pki, kubeconfig); tests may keep their own files below it. */
    public Path dir() {
        return dir;
    }

    /**
     * A second control plane on the same etcd, CA and admin token, listening on {@code port}, as a highly available
     * setup runs several; the caller closes it.
     */
    public ControlPlane startReplica(int port) throws Exception {
        Path replicaDir = Files.createTempDirectory(dir, "replica");
        copyTree(dir.resolve("pki"), replicaDir.resolve("pki"));
        return ControlPlane.start(new ControlPlaneConfig(replicaDir, etcd.endpoint(), "127.0.0.1", port));
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Files.copy(path, to.resolve(from.relativize(path).toString()));
            }
        }
    }

    /** A fabric8 client of this control plane, configured as the controllers' own; the caller closes it. */
    public KubernetesClient newClient() {
        return KubeClients.fromKubeconfig(kubeconfig());
    }

    private void stop() {
        try {
            controlPlane.close();
        } catch (Exception e) {
            // Stopping anyway; etcd goes next.
        }
        try {
            etcd.close();
            TempFolders.delete(dir);
        } catch (Exception e) {
            // The JVM is exiting.
        }
    }
}
