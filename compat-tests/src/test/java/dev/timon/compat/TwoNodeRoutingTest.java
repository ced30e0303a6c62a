package dev.timon.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Same-node preference across two real nodes: the first as {@link NodeCluster} runs it (node agent in this JVM,
 * proxy in a table of its own), the second in a network namespace of its own ({@link NetnsNode}) with its own
 * containerd, node agent and proxy processes. A Service with {@code trafficDistribution: PreferClose} has one
 * backend on each node; each node's client pod must reach the backend on its own node, until that one is unready.
 * A Service without the preference reaches both backends from either node, which also proves pod traffic
 * crosses between the nodes. Traffic stays on this machine and in the namespace the test makes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TwoNodeRoutingTest {
    private static final String NS = "near";
    private static final String TABLE = "timon-proxy-twonode";
    private static final int DNS_PORT = 1157;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int REQUESTS = 20;

    private NetnsNode second;
    private NodeCluster cluster;
    private NodeServices services;
    private Kubectl kubectl;
    private String node1;
    private String node2;

    @BeforeAll
    void start() throws Exception {
        // @AfterAll closes whatever started, also when this fails half-way.
        second = new NetnsNode(NetnsNode.TWO_NODE_LINK, NetnsNode.TWO_NODE_TEST);
        second.link();
        cluster = new NodeCluster(NodeCluster.TWO_NODE_TEST);
        cluster.start();
        services = NodeServices.start(cluster, TABLE, DNS_PORT);
        second.start(cluster);
        node1 = cluster.site.node();
        node2 = second.spec.node();
        kubectl = new Kubectl(cluster.kubeconfig(), cluster.home.resolve("kubectl"));
        kubectl.ok("create", "namespace", NS);
        StringBuilder manifests = new StringBuilder("""
                apiVersion: v1
                kind: Service
                metadata: {name: near}
                spec:
                  trafficDistribution: PreferClose
                  selector: {app: web}
                  ports: [{port: 80, targetPort: 8080}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: any}
                spec:
                  selector: {app: web}
                  ports: [{port: 80, targetPort: 8080}]
                """);
        for (String node : List.of(node1, node2)) {
            // busybox httpd answering with its hostname (the pod's name); ready while /www/ready exists.
            manifests.append("""
                    ---
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: web-%1$s, labels: {app: web}}
                    spec:
                      nodeName: %1$s
                      terminationGracePeriodSeconds: 0
                      containers:
                      - name: httpd
                        image: busybox
                        command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && touch /www/ready && exec httpd -f -p 8080 -h /www"]
                        readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 1, failureThreshold: 1}
                    ---
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: client-%1$s, labels: {role: client}}
                    spec:
                      nodeName: %1$s
                      terminationGracePeriodSeconds: 0
                      containers:
                      - {name: client, image: busybox, command: ["sleep", "3600"]}
                    """.formatted(node));
        }
        kubectl.apply(NS, manifests.toString());
        Await.until("the four pods ready", WAIT, () -> cluster.client.pods().inNamespace(NS).list().getItems().stream()
                .filter(TwoNodeRoutingTest::ready).map(p -> p.getMetadata().getName()).collect(Collectors.toSet()),
                ready -> ready.size() == 4);
    }

    @AfterAll
    void stop() throws Exception {
        try (var closingCluster = cluster; var closingSecond = second; var closingServices = services) {
            // Closed in reverse order: node 1's proxy and DNS, the second node (its daemons and pods while the API
            // server still answers, then its namespace and veth), then the cluster.
        }
    }

    @Test
    @Order(1)
    void eachNodesClientReachesItsLocalBackend() {
        for (String node : List.of(node1, node2)) {
            String local = "web-" + node;
            // The proxies program their tables after the endpoints turn ready: wait for the first local answer.
            Await.until("client-" + node + " answered by " + local, WAIT, () -> firstAnswer(node), local::equals);
            assertEquals(List.of(local), distinct(answers(node, "near", REQUESTS)),
                    () -> "from client-" + node + "; node 2's proxy log:\n" + second.logTail("proxy"));
        }
    }

    @Test
    @Order(2)
    void withoutThePreferenceBothNodesReachBothBackends() {
        Set<String> both = Set.of("web-" + node1, "web-" + node2);
        for (String node : List.of(node1, node2)) {
            assertEquals(both, Set.copyOf(distinct(answers(node, "any", REQUESTS))), "from client-" + node);
        }
    }

    @Test
    @Order(3)
    void withTheLocalBackendUnreadyTrafficGoesToTheOtherNode() {
        kubectl.ok("exec", "-n", NS, "web-" + node2, "--", "rm", "/www/ready");
        String remote = "web-" + node1;
        Await.until("web-" + node2 + " unready", WAIT, () -> cluster.client.pods().inNamespace(NS).withName("web-" + node2).get(),
                p -> !ready(p));
        Await.until("client-" + node2 + " answered by " + remote, WAIT, () -> firstAnswer(node2), remote::equals);
        assertEquals(List.of(remote), distinct(answers(node2, "near", REQUESTS)));
        // Node 1 keeps its own.
        assertEquals(List.of(remote), distinct(answers(node1, "near", REQUESTS)));
    }

    /**
     * Pod traffic keeps its source address inside the cluster's pod network (10.244.0.0/16) and is masqueraded to
     * the node's address when it leaves it. Node 2's client connects to a listener of this test on the host end of
     * the veth, once at an address inside the pod network and once at one outside it (added to that veth).
     */
    @Test
    @Order(4)
    void podTrafficIsMasqueradedOnlyWhenItLeavesThePodNetwork() throws Exception {
        String outside = "172.31.252.1";
        second.addHostAddress(outside);
        String clientIp = cluster.client.pods().inNamespace(NS).withName("client-" + node2).get().getStatus().getPodIP();
        assertEquals(clientIp, sourceSeenFromClientOnNode2(second.link.hostIp()), "inside the pod network");
        assertEquals(second.link.nodeIp(), sourceSeenFromClientOnNode2(outside), "outside the pod network");
    }

    /** The source address a listener on {@code address} sees when node 2's client pod connects to it. */
    private String sourceSeenFromClientOnNode2(String address) throws Exception {
        try (var listener = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            listener.setSoTimeout(30_000);
            var accepted = CompletableFuture.supplyAsync(() -> {
                try (var connection = listener.accept()) {
                    connection.getOutputStream().write("seen\n".getBytes());
                    return connection.getInetAddress().getHostAddress();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Kubectl.Result result = kubectl.run(Map.of(), null, Duration.ofSeconds(30), "exec", "-n", NS, "client-" + node2,
                    "--", "sh", "-c", "echo hello | timeout 5 nc " + address + " " + listener.getLocalPort());
            assertTrue(result.ok() && result.out().contains("seen"), () -> "connection to " + address + ": " + result);
            return accepted.get(30, TimeUnit.SECONDS);
        }
    }

    /** One request from the client on {@code node} to the preferring service; its answer, or why it failed. */
    private String firstAnswer(String node) {
        String ip = cluster.client.services().inNamespace(NS).withName("near").get().getSpec().getClusterIP();
        Kubectl.Result result = kubectl.run(Map.of(), null, Duration.ofSeconds(30), "exec", "-n", NS, "client-" + node, "--",
                "timeout", "5", "wget", "-qO-", "http://" + ip);
        return result.ok() ? result.out().trim() : result.toString();
    }

    /** {@code count} requests from the client on {@code node} to the service's ClusterIP, in one exec; each must succeed. */
    private String answers(String node, String service, int count) {
        String ip = cluster.client.services().inNamespace(NS).withName(service).get().getSpec().getClusterIP();
        List<String> args = new ArrayList<>(List.of("exec", "-n", NS, "client-" + node, "--", "sh", "-c",
                "for i in $(seq " + count + "); do timeout 5 wget -qO- http://" + ip + " || exit 1; done"));
        Kubectl.Result result = kubectl.run(Map.of(), null, Duration.ofSeconds(120), args.toArray(String[]::new));
        assertTrue(result.ok(), () -> "requests to " + service + " (" + ip + ") from client-" + node + "\n" + result);
        String out = result.out().trim();
        assertEquals(count, out.lines().count(), out);
        return out;
    }

    private static List<String> distinct(String answers) {
        return answers.lines().map(String::trim).distinct().sorted().toList();
    }

    private static boolean ready(Pod pod) {
        return pod != null && pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }
}
