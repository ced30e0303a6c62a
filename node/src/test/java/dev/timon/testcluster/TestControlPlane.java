package dev.timon.testcluster;

import dev.timon.client.KubeClients;
import dev.timon.controlplane.ControlPlane;
import dev.timon.controlplane.ControlPlaneConfig;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real control plane for the node module's tests: a private etcd on 127.0.0.1:2650/2651 with a fresh data folder
 * and the API server on 127.0.0.1:6651, started once per test JVM and stopped when it exits.
 */
public final class TestControlPlane {

    private static TestControlPlane shared;

    private final Process etcd;
    private final ControlPlane controlPlane;

    private TestControlPlane(Process etcd, ControlPlane controlPlane) {
        this.etcd = etcd;
        this.controlPlane = controlPlane;
    }

    public static synchronized TestControlPlane get() throws Exception {
        if (shared == null) {
            Path dir = Files.createTempDirectory("timon-node-test");
            Process etcd = new ProcessBuilder(List.of("etcd", "--name", "node-test", "--data-dir", dir.resolve("etcd").toString(),
                    "--listen-client-urls", "http://127.0.0.1:2650", "--advertise-client-urls", "http://127.0.0.1:2650",
                    "--listen-peer-urls", "http://127.0.0.1:2651", "--initial-advertise-peer-urls", "http://127.0.0.1:2651",
                    "--initial-cluster", "node-test=http://127.0.0.1:2651"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
            shared = new TestControlPlane(etcd, startControlPlane(dir));
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "test-control-plane-stop"));
        }
        return shared;
    }

    /** etcd may need a moment to listen: retry for a bounded time. */
    private static ControlPlane startControlPlane(Path dir) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                return ControlPlane.start(new ControlPlaneConfig(dir, "http://127.0.0.1:2650", "127.0.0.1", 6651));
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

    public KubernetesClient client() {
        return KubeClients.fromKubeconfig(kubeconfig());
    }

    private void stop() {
        try {
            controlPlane.close();
        } catch (Exception e) {
            // etcd goes next anyway
        }
        etcd.destroy();
    }
}
