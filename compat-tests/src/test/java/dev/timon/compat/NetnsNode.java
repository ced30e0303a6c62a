package dev.timon.compat;

import dev.timon.testing.TempFolders;
import io.fabric8.kubernetes.api.model.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A second node of a {@link NodeCluster}, in a network namespace of its own as if on a second machine: its own
 * containerd (with its CNI bridge and pods), node agent and service proxy, started inside the namespace by the
 * launcher's scripts (TIMON_NETNS). A veth pair joins the namespace to the host, with routes between the two nodes'
 * pod CIDRs; the cluster's API server and registry listen on the host end ({@link NodeCluster.Site#address()}).
 * {@link #link()} comes before the cluster starts (its servers bind that address), {@link #start} after.
 * Everything it made is removed on close, by name or recorded PID. Needs root.
 */
final class NetnsNode implements AutoCloseable {

    /** The namespace (under /run/netns) and the veth pair's two ends, addressed in a /30 of their own. */
    record Link(String netns, String hostVeth, String nodeVeth, String hostIp, String nodeIp) {
    }

    /** The node in the namespace: its name, pod CIDR, CNI bridge, node server port and nftables table. */
    record Spec(String node, String podCidr, String bridge, int kubeletPort, String proxyTable) {
    }

    static final Link TWO_NODE_LINK = new Link("timon-n2-routing", "timon2h0", "timon2n0", "10.244.252.1", "10.244.252.2");
    static final Spec TWO_NODE_TEST = new Spec("near-2", "10.244.251.0/24", "timon2b0", 10267, "timon-proxy");

    private static final Path IP_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");

    final Link link;
    final Spec spec;
    final Path home;
    private NodeCluster cluster;
    private boolean linked;
    private boolean runtimeStarted;
    private boolean daemonsStarted;
    /** Set when this node turned the host's forwarding on, so close turns it off again. */
    private boolean restoreForwarding;

    NetnsNode(Link link, Spec spec) throws IOException {
        this.link = link;
        this.spec = spec;
        // Short: unix socket paths are limited to 108 bytes.
        home = Files.createTempDirectory("timon-n2");
    }

    /** Makes the namespace and the veth pair, and routes each node's pod CIDR to the other end. */
    void link() throws IOException, InterruptedException {
        // A run that was killed may have left them: they are this suite's own names.
        removeLink();
        linked = true;
        String ns = link.netns();
        run("ip", "netns", "add", ns);
        run("ip", "link", "add", link.hostVeth(), "type", "veth", "peer", "name", link.nodeVeth(), "netns", ns);
        run("ip", "addr", "add", link.hostIp() + "/30", "dev", link.hostVeth());
        run("ip", "link", "set", link.hostVeth(), "up");
        run("ip", "-n", ns, "link", "set", "lo", "up");
        run("ip", "-n", ns, "addr", "add", link.nodeIp() + "/30", "dev", link.nodeVeth());
        run("ip", "-n", ns, "link", "set", link.nodeVeth(), "up");
        // The host's pod CIDRs and the cluster's servers are all behind the host end.
        run("ip", "-n", ns, "route", "add", "default", "via", link.hostIp());
        run("ip", "route", "add", spec.podCidr(), "via", link.nodeIp(), "dev", link.hostVeth());
        run("nsenter", "--net=/run/netns/" + ns, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        if (Files.readString(IP_FORWARD).trim().equals("0")) {
            Files.writeString(IP_FORWARD, "1");
            restoreForwarding = true;
        }
    }

    /** Gives the host end of the veth one more address (e.g. one outside the cluster's pod network). */
    void addHostAddress(String address) throws IOException, InterruptedException {
        run("ip", "addr", "add", address + "/32", "dev", link.hostVeth());
    }

    /**
     * Starts containerd, the node agent (InternalIP: the namespace's veth address) and the service proxy in the
     * namespace, against {@code cluster}'s API server and registry; returns once the Node is Ready.
     */
    void start(NodeCluster cluster) throws Exception {
        this.cluster = cluster;
        Map<String, String> env = env();
        cluster.script(env, "containerd_write_config", home.toString(), spec.podCidr(), spec.bridge());
        runtimeStarted = true;
        cluster.script(env, "containerd_start", home.toString());
        // What a second machine would be given: the admin kubeconfig and the cluster CA (it issues the node's
        // serving certificate, as on the first node).
        Files.copy(cluster.kubeconfig(), home.resolve("kubeconfig"));
        Files.createDirectories(home.resolve("pki"));
        for (String file : List.of("ca.crt", "ca.key")) {
            Files.copy(cluster.home.resolve("pki").resolve(file), home.resolve("pki").resolve(file));
        }
        daemonsStarted = true;
        cluster.script(env, "node_agent_start", home.toString(), spec.node(), spec.podCidr(),
                "--node-ip", link.nodeIp(), "--port", Integer.toString(spec.kubeletPort()));
        cluster.script(env, "proxy_start", home.toString(), spec.node());
        Await.until("node " + spec.node() + " Ready", Duration.ofSeconds(90),
                () -> cluster.client.nodes().withName(spec.node()).get(), NetnsNode::ready);
    }

    /** The last lines of one of the node's logs (containerd, node-agent, proxy), for failure messages. */
    String logTail(String name) {
        try {
            List<String> lines = Files.readAllLines(home.resolve("logs").resolve(name + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no " + name + " log: " + e + ")";
        }
    }

    private Map<String, String> env() {
        return Map.of("TIMON_NETNS", link.netns(), "TIMON_PROXY_TABLE", spec.proxyTable());
    }

    private static boolean ready(Node node) {
        return node != null && node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    /** Stops what runs in the namespace (pods through CRI first), then removes the namespace and the veth pair. */
    @Override
    public void close() throws Exception {
        List<Exception> failures = new ArrayList<>();
        Map<String, String> env = env();
        if (daemonsStarted) {
            attempt(failures, () -> cluster.script(env, "proxy_stop", home.toString()));
            attempt(failures, () -> cluster.script(env, "node_agent_stop", home.toString()));
        }
        if (runtimeStarted) {
            attempt(failures, () -> cluster.script(env, "runtime_teardown_pods", home.toString()));
            attempt(failures, () -> cluster.script(env, "containerd_stop", home.toString()));
        }
        if (linked) {
            attempt(failures, this::removeLink);
        }
        if (restoreForwarding) {
            attempt(failures, () -> Files.writeString(IP_FORWARD, "0"));
        }
        attempt(failures, () -> TempFolders.delete(home));
        if (!failures.isEmpty()) {
            Exception first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    /**
     * Removes the veth pair (deleting one end deletes both, and the route through it) and the namespace, with its
     * bridge; either may be absent.
     */
    private void removeLink() throws IOException, InterruptedException {
        if (exec("ip", "link", "show", link.hostVeth()).exitCode == 0) {
            run("ip", "link", "delete", link.hostVeth());
        }
        if (Files.exists(Path.of("/run/netns", link.netns()))) {
            run("ip", "netns", "delete", link.netns());
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void attempt(List<Exception> failures, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            failures.add(e);
        }
    }

    private record Exec(int exitCode, String output) {
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Exec result = exec(command);
        if (result.exitCode != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + result.exitCode + ": " + result.output);
        }
    }

    private static Exec exec(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Exec(-1, output + " (timed out)");
        }
        return new Exec(process.exitValue(), output);
    }
}
