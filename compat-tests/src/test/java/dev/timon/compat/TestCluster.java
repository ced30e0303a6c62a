package dev.timon.compat;

import dev.timon.client.KubeClients;
import dev.timon.controlplane.ControlPlane;
import dev.timon.controlplane.ControlPlaneConfig;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real cluster for the compatibility tests: a private etcd (Debian's binary, its own data folder and free
 * loopback ports) and the control plane started in this JVM with the same code `./timon up` runs.
 * One cluster serves every test class of a run; it is stopped when the JVM exits.
 */
public final class TestCluster {

    private static TestCluster shared;

    private final Path dir;
    private final Process etcd;
    private final ControlPlane controlPlane;
    private final int apiPort;

    private TestCluster(Path dir, Process etcd, ControlPlane controlPlane, int apiPort) {
        this.dir = dir;
        this.etcd = etcd;
        this.controlPlane = controlPlane;
        this.apiPort = apiPort;
    }

    public static synchronized TestCluster get() throws Exception {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "test-cluster-stop"));
        }
        return shared;
    }

    private static TestCluster start() throws Exception {
        Path dir = Files.createTempDirectory("timon-compat");
        int clientPort = freePort();
        int peerPort = freePort();
        Process etcd = new ProcessBuilder(List.of("etcd", "--name", "compat", "--data-dir", dir.resolve("etcd").toString(),
                "--listen-client-urls", "http://127.0.0.1:" + clientPort,
                "--advertise-client-urls", "http://127.0.0.1:" + clientPort,
                "--listen-peer-urls", "http://127.0.0.1:" + peerPort,
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPort,
                "--initial-cluster", "compat=http://127.0.0.1:" + peerPort))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("etcd.log").toFile())
                .start();
        int apiPort = freePort();
        ControlPlane controlPlane = startControlPlane(dir, clientPort, apiPort);
        return new TestCluster(dir, etcd, controlPlane, apiPort);
    }

    /** etcd may need a moment to listen: retry the start for a bounded time. */
    private static ControlPlane startControlPlane(Path dir, int etcdPort, int apiPort) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                return ControlPlane.start(new ControlPlaneConfig(dir, "http://127.0.0.1:" + etcdPort, "127.0.0.1", apiPort));
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    public Path kubeconfig() {
        return controlPlane.kubeconfig();
    }

    public int apiPort() {
        return apiPort;
    }

    public Path dir() {
        return dir;
    }

    /** A fabric8 client of this cluster, configured as the controllers' own; the caller closes it. */
    public KubernetesClient newClient() {
        return KubeClients.fromKubeconfig(kubeconfig());
    }

    public Kubectl kubectl() {
        return new Kubectl(kubeconfig(), dir.resolve("kubectl"));
    }

    private void stop() {
        try {
            controlPlane.close();
        } catch (Exception e) {
            // Stopping anyway; etcd goes next.
        }
        etcd.destroy();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
