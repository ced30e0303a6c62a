package dev.timon.compat;

import dev.timon.controlplane.ControlPlane;
import dev.timon.controlplane.ControlPlaneConfig;
import dev.timon.kubelet.NodeAgent;
import dev.timon.kubelet.NodeAgentConfig;
import dev.timon.testing.TempFolders;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real single-node cluster for tests: etcd, the API server, a private containerd and registry started by
 * scripts/node-runtime.sh (as the launcher does), and the node agent in this JVM. Each suite has its own
 * {@link Site} (ports, pod CIDR, bridge), so it never clashes with a running cluster or another suite of the same
 * JVM. Needs root.
 */
final class NodeCluster implements AutoCloseable {

    /**
     * What a suite's cluster owns on this machine. {@code address} is where the API server and the registry listen:
     * loopback, or a host address that nodes in network namespaces of their own can reach ({@link NetnsNode}).
     */
    record Site(String node, String podCidr, String bridge, int registryPort, int etcdPort, int apiPort, int kubeletPort,
                String address) {
        Site(String node, String podCidr, String bridge, int registryPort, int etcdPort, int apiPort, int kubeletPort) {
            this(node, podCidr, bridge, registryPort, etcdPort, apiPort, kubeletPort, "127.0.0.1");
        }
    }

    static final Site NODE_AGENT_TEST = new Site("kl-node", "10.244.240.0/24", "timonkl0", 5102, 2620, 6621, 10262);
    static final Site SERVICES_TEST = new Site("svc-node", "10.244.245.0/24", "timonsv0", 5104, 2640, 6641, 10264);
    /** The first of two nodes; the second ({@link NetnsNode#TWO_NODE_TEST}) reaches the servers on the veth's host end. */
    static final Site TWO_NODE_TEST = new Site("near-1", "10.244.250.0/24", "timon2a0", 5106, 2660, 6661, 10266,
            NetnsNode.TWO_NODE_LINK.hostIp());
    static final Site POD_SETUP_TEST = new Site("ps-node", "10.244.236.0/24", "timonps0", 5112, 2682, 6682, 10272);
    /** Bounded wait for a pod to reach a state: generous, as other suites may share the machine's two cores. */
    static final Duration POD_WAIT = Duration.ofSeconds(90);
    /** Shorter than the node agent's default minute, so a configMap update reaches a pod within a test's patience. */
    static final Duration SYNC_FREQUENCY = Duration.ofSeconds(3);

    final Site site;
    final Path home;
    private final Path repo;
    private Process etcd;
    private ControlPlane controlPlane;
    private NodeAgent agent;
    private boolean runtimeStarted;
    KubernetesClient client;

    NodeCluster(Site site) throws IOException {
        this.site = site;
        repo = Path.of(System.getProperty("timon.repo", "..")).toAbsolutePath().normalize();
        // Short: unix socket paths are limited to 108 bytes.
        home = Files.createTempDirectory("timon-kl");
    }

    void start() throws Exception {
        script("runtime_install_packages");
        script("containerd_write_config", home.toString(), site.podCidr(), site.bridge());
        runtimeStarted = true;
        script("registry_start", home.toString());
        script("images_build_and_push", home.toString());
        script("containerd_start", home.toString());
        String etcdUrl = "http://127.0.0.1:" + site.etcdPort();
        String peerUrl = "http://127.0.0.1:" + (site.etcdPort() + 1);
        etcd = new ProcessBuilder("etcd", "--name", "kl", "--data-dir", home.resolve("etcd").toString(),
                "--listen-client-urls", etcdUrl, "--advertise-client-urls", etcdUrl,
                "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl, "--initial-cluster", "kl=" + peerUrl)
                .redirectErrorStream(true).redirectOutput(home.resolve("etcd.log").toFile()).start();
        controlPlane = ControlPlane.start(new ControlPlaneConfig(home, etcdUrl, site.address(), site.apiPort()));
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
        agent = NodeAgent.start(new NodeAgentConfig(kubeconfig(), site.node(), containerdSocket(), home.resolve("node"),
                site.podCidr(), null, true, home.resolve("pki"), site.kubeletPort(), SYNC_FREQUENCY));
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

    /** {@code kubectl apply} of the given manifests. */
    void apply(String yaml) throws IOException, InterruptedException {
        kubectl(yaml, "apply", "--validate=false", "-f", "-");
    }

    /** Polls the pod in namespace default until {@code condition} holds; fails with its last status after {@link #POD_WAIT}. */
    Pod awaitPod(String name, Predicate<Pod> condition) throws InterruptedException {
        long deadline = System.nanoTime() + POD_WAIT.toNanos();
        Pod pod = null;
        while (System.nanoTime() < deadline) {
            pod = client.pods().inNamespace("default").withName(name).get();
            if (pod != null && pod.getStatus() != null && condition.test(pod)) {
                return pod;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("pod " + name + " did not reach the expected state; last: " + (pod == null ? null : pod.getStatus()));
    }

    static boolean isReady(Pod pod) {
        return pod.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    /** The status of the pod's first container, or null before there is one. */
    static ContainerStatus firstContainer(Pod pod) {
        var statuses = pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
        return statuses == null || statuses.isEmpty() ? null : statuses.get(0);
    }

    private void script(String function, String... args) throws IOException, InterruptedException {
        script(Map.of(), function, args);
    }

    /**
     * Runs a function of the launcher's scripts (node runtime, node agent, proxy) for this cluster, with {@code env}
     * added (e.g. TIMON_NETNS for a node in a network namespace); fails unless it exits 0.
     */
    void script(Map<String, String> env, String function, String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("bash", "-c", "source \"$TIMON_REPO/scripts/node-runtime.sh\" && "
                + "source \"$TIMON_REPO/scripts/node-agent.sh\" && source \"$TIMON_REPO/scripts/proxy.sh\" && \"$@\"",
                "bash", function));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("TIMON_REPO", repo.toString());
        builder.environment().put("TIMON_REGISTRY_PORT", Integer.toString(site.registryPort()));
        builder.environment().put("TIMON_REGISTRY_HOST", site.address());
        builder.environment().putAll(env);
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
                    try {
                        script("runtime_teardown_pods", home.toString());
                    } finally {
                        script("containerd_stop", home.toString());
                    }
                } finally {
                    script("registry_stop", home.toString());
                    // The CNI bridge outlives its pods; it is this suite's own.
                    new ProcessBuilder("ip", "link", "delete", site.bridge()).redirectErrorStream(true).start().waitFor();
                }
            }
            TempFolders.delete(home);
        }
    }
}
