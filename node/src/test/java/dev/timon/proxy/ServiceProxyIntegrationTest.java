package dev.timon.proxy;

import dev.timon.controlplane.TestControlPlane;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.timon.proxy.Fixtures.endpoint;
import static dev.timon.proxy.Fixtures.nodePort;
import static dev.timon.proxy.Fixtures.slice;
import static dev.timon.proxy.Fixtures.slicePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real proxy against a real API server and the real kernel: two network namespaces joined to the host by veth
 * pairs play pods, each running busybox httpd, and a Service with both as endpoints is reached from the host and
 * from a "pod". Uses its own table (timon-proxy-test) and addresses in 10.201.0.0/16; all removed afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceProxyIntegrationTest {

    private static final String TABLE = "timon-proxy-test";
    private static final String NS = "proxy-test";
    private static final List<Pod> PODS = List.of(new Pod("tpx-a", "10.201.1", "node-a"), new Pod("tpx-b", "10.201.2", "node-b"));

    /** A network namespace "pod": address prefix.2 inside, prefix.1 on the host end of its veth pair. */
    private record Pod(String name, String prefix, String node) {
        String ip() {
            return prefix + ".2";
        }
    }

    private static final List<Process> servers = new ArrayList<>();
    private static KubernetesClient client;
    private static ServiceProxy proxy;
    private static Service web;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isWritable(Path.of("/proc/sys/net/ipv4/conf/all/route_localnet")), "needs root (network namespaces, nftables)");
        for (Pod pod : PODS) {
            createPod(pod);
        }
        client = TestControlPlane.get().newClient();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).serverSideApply();
        web = client.resource(new ServiceBuilder(Fixtures.service(NS, "web", null, nodePort("http", 80, 0)))
                .editSpec().withType("NodePort").endSpec().build()).create();
        client.resource(webSlice(PODS)).create();
        proxy = ServiceProxy.start(client, ProxyConfig.defaults("node-a").withTable(TABLE));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (proxy != null) {
                proxy.close();
                assertTrue(run("nft", "list", "tables").stream().noneMatch(l -> l.contains(TABLE)), "table removed on stop");
            }
        } finally {
            servers.forEach(Process::destroy);
            for (Pod pod : PODS) {
                run("ip", "netns", "del", pod.name());
            }
            if (client != null) {
                client.namespaces().withName(NS).delete();
                client.close();
            }
        }
    }

    @Test
    @Order(1)
    void clusterIpReachesBothBackendsFromTheHost() throws Exception {
        assertEquals(Set.of("tpx-a", "tpx-b"), answersOver(40, web.getSpec().getClusterIP(), 80));
    }

    @Test
    @Order(2)
    void nodePortAnswersOnLoopback() throws Exception {
        int nodePort = web.getSpec().getPorts().get(0).getNodePort();
        assertTrue(Set.of("tpx-a", "tpx-b").containsAll(answersOver(5, "127.0.0.1", nodePort)));
    }

    @Test
    @Order(3)
    void unknownServiceIpsAndPortsAreRejectedNotRoutedOut() {
        long start = System.nanoTime();
        assertThrows(ConnectException.class, () -> get("10.111.222.111", 80));
        assertThrows(ConnectException.class, () -> get(web.getSpec().getClusterIP(), 81));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "refused at once, not timed out");
    }

    @Test
    @Order(4)
    void aPodReachesItsOwnServiceThroughHairpinMasquerade() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            List<String> out = run("timeout", "5", "ip", "netns", "exec", "tpx-a", "busybox", "wget", "-q", "-O", "-",
                    "http://" + web.getSpec().getClusterIP() + "/");
            seen.add(String.join("", out).trim());
        }
        assertEquals(Set.of("tpx-a", "tpx-b"), seen);
    }

    @Test
    @Order(5)
    void sameNodePreferenceSendsEverythingToTheLocalEndpoint() throws Exception {
        client.services().inNamespace(NS).withName("web").edit(s -> new ServiceBuilder(s).editSpec()
                .withTrafficDistribution("PreferClose").endSpec().build());
        awaitAnswers(Set.of("tpx-a"));
        client.services().inNamespace(NS).withName("web").edit(s -> new ServiceBuilder(s).editSpec()
                .withTrafficDistribution(null).endSpec().build());
        awaitAnswers(Set.of("tpx-a", "tpx-b"));
    }

    @Test
    @Order(6)
    void removingAnEndpointDrainsIt() throws Exception {
        EndpointSlice current = client.resources(EndpointSlice.class).inNamespace(NS).withName(webSlice(PODS).getMetadata().getName()).get();
        current.setEndpoints(webSlice(PODS.subList(1, 2)).getEndpoints());
        client.resource(current).update();
        awaitAnswers(Set.of("tpx-b"));
        assertEquals(Set.of("tpx-b"), answersOver(40, web.getSpec().getClusterIP(), 80), "stays drained");
    }

    private static EndpointSlice webSlice(List<Pod> pods) {
        return slice(NS, "web", List.of(slicePort("http", 8080)),
                pods.stream().map(p -> endpoint(p.ip(), p.node(), true)).toArray(io.fabric8.kubernetes.api.model.discovery.v1.Endpoint[]::new));
    }

    /** Waits (bounded) until 20 requests in a row see exactly the expected backends. */
    private static void awaitAnswers(Set<String> expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Set<String> seen = Set.of();
        while (System.nanoTime() < deadline) {
            seen = answersOver(20, web.getSpec().getClusterIP(), 80);
            if (seen.equals(expected)) {
                return;
            }
            Thread.sleep(100);
        }
        assertEquals(expected, seen);
    }

    /**
     * The set of backends that answered over n successful requests. A refused request is retried within a bounded
     * time: the rules may not be programmed yet, or a backend's server may still be starting.
     */
    private static Set<String> answersOver(int n, String ip, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        Set<String> seen = new HashSet<>();
        int answered = 0;
        while (answered < n) {
            try {
                String body = get(ip, port);
                if (body.isEmpty()) {
                    // A backend's httpd answered before serving its page (seen once, right after it started).
                    throw new IOException("an empty answer from " + ip + ":" + port);
                }
                seen.add(body);
                answered++;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
        return seen;
    }

    /** One HTTP/1.0 GET on a fresh connection (so every request is balanced anew); returns the body. */
    private static String get(String ip, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(ip, port), 2000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.0\r\nHost: " + ip + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return response.substring(response.indexOf("\r\n\r\n") + 4).trim();
        }
    }

    private static void createPod(Pod pod) throws Exception {
        run("ip", "netns", "del", pod.name()); // left over from an interrupted run
        check("ip", "netns", "add", pod.name());
        check("ip", "link", "add", pod.name() + "-h", "type", "veth", "peer", "name", "eth0", "netns", pod.name());
        check("ip", "addr", "add", pod.prefix() + ".1/24", "dev", pod.name() + "-h");
        check("ip", "link", "set", pod.name() + "-h", "up");
        check("ip", "netns", "exec", pod.name(), "ip", "addr", "add", pod.ip() + "/24", "dev", "eth0");
        check("ip", "netns", "exec", pod.name(), "ip", "link", "set", "eth0", "up");
        check("ip", "netns", "exec", pod.name(), "ip", "link", "set", "lo", "up");
        check("ip", "netns", "exec", pod.name(), "ip", "route", "add", "default", "via", pod.prefix() + ".1");
        Path root = Files.createTempDirectory("httpd-" + pod.name());
        Files.writeString(root.resolve("index.html"), pod.name() + "\n");
        servers.add(new ProcessBuilder("ip", "netns", "exec", pod.name(), "busybox", "httpd", "-f", "-p", "8080", "-h", root.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
    }

    private static void check(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, String.join(" ", command) + ": " + output);
    }

    private static List<String> run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        process.waitFor(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS);
        return lines;
    }
}
