package dev.timon.compat;

import dev.timon.controlplane.ControlPlane;
import dev.timon.controlplane.ControlPlaneConfig;
import dev.timon.kubelet.NodeAgent;
import dev.timon.kubelet.NodeAgentConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node cluster for tests: etcd, the API server, a private containerd and registry started by
 * scripts/node-runtime.sh (as the launcher does), and the node agent in this JVM. Ports, pod CIDR and bridge are
 * this suite's own, so it never clashes with a running cluster or other suites. Needs root.
 */
final class NodeCluster implements AutoCloseable {
    static final String NODE = "kl-node";
    static final String POD_CIDR = "10.244.240.0/24";
    private static final String BRIDGE = "timonkl0";
    private static final int REGISTRY_PORT = 5102;
    private static final int ETCD_PORT = 2620;
    private static final int ETCD_PEER_PORT = 2621;
    private static final int API_PORT = 6621;

    final Path home;
    private final Path repo;
    private Process etcd;
    private ControlPlane controlPlane;
    private NodeAgent agent;
    private boolean runtimeStarted;
    KubernetesClient client;

    NodeCluster() throws IOException {
        repo = Path.of(System.getProperty("timon.repo", "..")).toAbsolutePath().normalize();
        // Short: unix socket paths are limited to 108 bytes.
        home = Files.createTempDirectory("timon-kl");
    }

    void start() throws Exception {
        script("runtime_install_packages");
        script("containerd_write_config", home.toString(), POD_CIDR, BRIDGE);
        runtimeStarted = true;
        script("registry_start", home.toString());
        script("images_build_and_push", home.toString());
        script("containerd_start", home.toString());
        etcd = new ProcessBuilder("etcd", "--name", "kl", "--data-dir", home.resolve("etcd").toString(),
                "--listen-client-urls", "http://127.0.0.1:" + ETCD_PORT, "--advertise-client-urls", "http://127.0.0.1:" + ETCD_PORT,
                "--listen-peer-urls", "http://127.0.0.1:" + ETCD_PEER_PORT,
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + ETCD_PEER_PORT,
                "--initial-cluster", "kl=http://127.0.0.1:" + ETCD_PEER_PORT)
                .redirectErrorStream(true).redirectOutput(home.resolve("etcd.log").toFile()).start();
        controlPlane = ControlPlane.start(new ControlPlaneConfig(home, "http://127.0.0.1:" + ETCD_PORT, "127.0.0.1", API_PORT));
        var config = Config.fromKubeconfig(Files.readString(kubeconfig()));
        config.setOnlyHttpWatches(true);
        client = new KubernetesClientBuilder().withConfig(config).build();
        startAgent();
    }

    Path kubeconfig() {
        return home.resolve("kubeconfig");
    }

    Path containerdSocket() {
        return home.resolve("containerd/containerd.sock");
    }

    Path podLogs() {
        return NodeAgent.podLogsRoot(home.resolve("node"));
    }

    void startAgent() throws Exception {
        agent = NodeAgent.start(new NodeAgentConfig(kubeconfig(), NODE, containerdSocket(), home.resolve("node"), POD_CIDR,
                null, true, null, NodeAgentConfig.DEFAULT_PORT));
    }

    void stopAgent() {
        agent.close();
        agent = null;
    }

    /** Runs kubectl against the cluster with {@code stdin} as input; fails unless it exits 0; yields stdout. */
    String kubectl(String stdin, String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig().toString()));
        command.addAll(List.of(args));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("kubectl " + String.join(" ", args) + ": " + output);
        }
        return output;
    }

    private void script(String function, String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("bash", "-c", "source \"$TIMON_REPO/scripts/node-runtime.sh\" && \"$@\"", "bash", function));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("TIMON_REPO", repo.toString());
        builder.environment().put("TIMON_REGISTRY_PORT", Integer.toString(REGISTRY_PORT));
        var process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(function + " failed:\n" + output);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (agent != null) {
                stopAgent();
            }
            if (client != null) {
                client.close();
            }
            if (controlPlane != null) {
                controlPlane.close();
            }
        } finally {
            if (etcd != null) {
                etcd.destroy();
                etcd.waitFor(10, TimeUnit.SECONDS);
            }
            if (runtimeStarted) {
                try {
                    script("runtime_teardown_pods", home.toString());
                    script("containerd_stop", home.toString());
                } finally {
                    script("registry_stop", home.toString());
                    // The CNI bridge outlives its pods; it is this suite's own.
                    new ProcessBuilder("ip", "link", "delete", BRIDGE).redirectErrorStream(true).start().waitFor();
                }
            }
        }
    }
}
