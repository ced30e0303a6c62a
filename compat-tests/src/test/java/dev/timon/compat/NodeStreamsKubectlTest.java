package dev.timon.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timon.controlplane.ControlPlane;
import dev.timon.controlplane.ControlPlaneConfig;
import dev.timon.cri.CriClient;
import dev.timon.cri.CriTool;
import dev.timon.cri.NodeRuntimeScript;
import dev.timon.kubelet.server.CriContainerLocator;
import dev.timon.kubelet.server.NodeServer;
import dev.timon.kubelet.server.NodeServerConfig;
import dev.timon.testing.TempFolders;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import runtime.v1.Api.ContainerConfig;
import runtime.v1.Api.ContainerMetadata;
import runtime.v1.Api.PodSandboxConfig;
import runtime.v1.Api.PodSandboxMetadata;

/**
 * The streaming subresources end to end with the real kubectl: API server (on a private etcd) → NodeServer →
 * a private containerd. The pod is run through CRI directly, labelled as the kubelet labels it, with a matching
 * Pod object, so no node agent is needed. Exec and port-forward run over WebSocket (kubectl's default) and over
 * SPDY (its fallback). Needs root, as containerd does. Ports and network are this test's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NodeStreamsKubectlTest {

    private static final String POD_CIDR = "10.244.230.0/24";
    private static final String BRIDGE = "timonns0";
    private static final int REGISTRY_PORT = 5103;
    private static final int ETCD_PORT = 2630;
    private static final int API_PORT = 6631;
    private static final int NODE_PORT = 10261;
    private static final String NODE = "streams-node";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Map<String, String> WEBSOCKET = Map.of();
    private static final Map<String, String> SPDY = Map.of("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false",
            "KUBECTL_PORT_FORWARD_WEBSOCKETS", "false");

    private Path home;
    private NodeRuntimeScript script;
    private Process etcd;
    private ControlPlane controlPlane;
    private Vertx vertx;
    private CriClient cri;
    private NodeServer nodeServer;
    private Kubectl kubectl;

    @BeforeAll
    void startCluster() throws Exception {
        Path repo = Path.of(System.getProperty("timon.repo", "..")).toAbsolutePath().normalize();
        home = Path.of(System.getProperty("timon.testHome", "target/it")).toAbsolutePath().normalize().resolve("streams");
        // Unix socket paths are limited to 108 bytes; a deep checkout gets a short private folder instead.
        if (home.resolve("containerd/containerd.sock.ttrpc").toString().length() > 100) {
            home = Files.createTempDirectory("timon-streams-it");
        }
        Files.createDirectories(home.resolve("work"));
        script = new NodeRuntimeScript(repo, REGISTRY_PORT);
        script.run("runtime_install_packages");
        script.run("containerd_write_config", home.toString(), POD_CIDR, BRIDGE);
        script.run("registry_start", home.toString());
        script.run("images_build_and_push", home.toString());
        script.run("containerd_start", home.toString());
        cri = CriClient.connect(home.resolve("containerd/containerd.sock"), Duration.ofSeconds(20));
        CriTool.teardownPods(cri);

        etcd = startEtcd();
        controlPlane = ControlPlane.start(new ControlPlaneConfig(home.resolve("control-plane"),
                "http://127.0.0.1:" + ETCD_PORT, "127.0.0.1", API_PORT));
        Path[] serving = controlPlane.ca().ensureCertificate("streams-node-serving", "system:node:" + NODE,
                List.of("system:nodes"), List.of("localhost"), List.of("127.0.0.1"), true, false);
        vertx = Vertx.vertx();
        nodeServer = new NodeServer(vertx, cri, home.resolve("pods"), new CriContainerLocator(cri));
        nodeServer.listen(new NodeServerConfig("127.0.0.1", NODE_PORT, serving[0], serving[1],
                controlPlane.ca().certificatePath(), Set.of("kube-apiserver-kubelet-client")))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        kubectl = new Kubectl(controlPlane.kubeconfig(), home.resolve("work"));

        createNode();
        runPod();
    }

    @AfterAll
    void stopCluster() throws Exception {
        try (var closing = cri) {
            if (nodeServer != null) {
                nodeServer.close();
            }
            if (vertx != null) {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            if (controlPlane != null) {
                controlPlane.close();
            }
            if (closing != null) {
                CriTool.teardownPods(closing);
            }
        } finally {
            if (etcd != null) {
                etcd.destroy();
                etcd.waitFor(10, TimeUnit.SECONDS);
            }
            if (script != null) {
                try {
                    script.run("containerd_stop", home.toString());
                } finally {
                    script.run("registry_stop", home.toString());
                    new ProcessBuilder("ip", "link", "delete", BRIDGE).redirectErrorStream(true).start().waitFor();
                }
            }
        }
    }

    static Stream<Arguments> transports() {
        return Stream.of(Arguments.of("websocket", WEBSOCKET), Arguments.of("spdy", SPDY));
    }

    // ---- logs ----

    @Test
    void logsOfTheDefaultContainerWithTailAndTimestamps() throws Exception {
        var all = ok(kubectl.run(WEBSOCKET, null, COMMAND_TIMEOUT, "logs", "p"));
        assertTrue(all.startsWith("line 0\n"), all);

        var tail = ok(kubectl.run(WEBSOCKET, null, COMMAND_TIMEOUT, "logs", "p", "--tail=1"));
        assertTrue(tail.matches("line \\d+\n"), tail);

        var stamped = ok(kubectl.run(WEBSOCKET, null, COMMAND_TIMEOUT, "logs", "p", "--timestamps", "--tail=2"));
        for (String line : stamped.split("\n")) {
            assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z line \\d+"), stamped);
        }
        assertTrue(ok(kubectl.run(WEBSOCKET, null, COMMAND_TIMEOUT, "logs", "p", "--since=1h")).startsWith("line 0\n"));
        var limited = ok(kubectl.run(WEBSOCKET, null, COMMAND_TIMEOUT, "logs", "p", "--limit-bytes=3"));
        assertEquals("lin", limited);
    }

    @Test
    void logsOfAnotherContainerAndItsPreviousInstance() throws Exception {
        assertEquals("second run\n", ok(kubectl.run(WEBSOCKET, null, COMMAND_TIMEOUT, "logs", "p", "-c", "once")));
        assertEquals("first run\n", ok(kubectl.run(WEBSOCKET, null, COMMAND_TIMEOUT, "logs", "p", "-c", "once", "--previous")));
    }

    @Test
    void followedLogsKeepComing() throws Exception {
        var follow = kubectl.start(WEBSOCKET, null, "logs", "-f", "p", "--tail=1");
        try {
            // The container prints a line a second: within 6 s the stream shows at least three.
            long deadline = System.currentTimeMillis() + 6000;
            while (System.currentTimeMillis() < deadline && follow.out().split("\n").length < 3) {
                Thread.sleep(200);
            }
            assertTrue(follow.process().isAlive(), "follow ended early: " + follow.err());
            assertTrue(follow.out().split("\n").length >= 3, follow.out() + follow.err());
        } finally {
            follow.stop();
        }
    }

    // ---- exec ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void execEchoes(String transport, Map<String, String> env) throws Exception {
        assertEquals("hi\n", ok(kubectl.run(env, null, COMMAND_TIMEOUT, "exec", "p", "--", "echo", "hi")));
        var stderr = kubectl.run(env, null, COMMAND_TIMEOUT, "exec", "p", "--", "sh", "-c", "echo oops >&2");
        assertEquals(0, stderr.exitCode(), stderr.err());
        assertEquals("oops\n", stderr.err());
    }

    /** kubectl falls back to SPDY silently, so its own log (-v=7) shows which protocol the API server gave it. */
    @Test
    void execIsServedOverWebSocketWhenKubectlOffersIt() throws Exception {
        var result = kubectl.run(WEBSOCKET, null, COMMAND_TIMEOUT, "exec", "p", "-v=7", "--", "echo", "hi");
        assertEquals("hi\n", ok(result));
        assertTrue(result.err().contains("Response Status: 101 Switching Protocols")
                && result.err().contains("The subprotocol is v5.channel.k8s.io"), result.err());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void execPropagatesTheExitCode(String transport, Map<String, String> env) throws Exception {
        var result = kubectl.run(env, null, COMMAND_TIMEOUT, "exec", "p", "--", "sh", "-c", "exit 3");
        assertEquals(3, result.exitCode(), result.err());
        assertTrue(result.err().contains("command terminated with exit code 3"), result.err());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void execWithStdin(String transport, Map<String, String> env) throws Exception {
        assertEquals("hello\nworld\n", ok(kubectl.run(env, "hello\nworld\n", COMMAND_TIMEOUT, "exec", "-i", "p", "--", "cat")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void execWithATerminal(String transport, Map<String, String> env) throws Exception {
        // script(1) gives kubectl a terminal, so -t really allocates one (and kubectl sends its size).
        var running = kubectl.startCommand(List.of("script", "-qec",
                "kubectl --cache-dir " + home.resolve("work/kube-cache") + " exec -it p -- sh -c 'tty; stty size; exit 4'",
                "/dev/null"), env, null);
        var result = Kubectl.finish(running, COMMAND_TIMEOUT);
        assertTrue(result.out().contains("/dev/pts/"), result.out() + result.err());
        assertEquals(4, result.exitCode(), result.out() + result.err());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void copiesFilesInAndOut(String transport, Map<String, String> env) throws Exception {
        Path work = home.resolve("work");
        String content = "payload " + UUID.randomUUID() + "\n" + "x".repeat(200_000) + "\n";
        Path local = work.resolve("in-" + transport + ".txt");
        Files.writeString(local, content);
        ok(kubectl.run(env, null, COMMAND_TIMEOUT, "cp", local.toString(), "p:/tmp/copied-" + transport + ".txt"));
        assertEquals(content, ok(kubectl.run(env, null, COMMAND_TIMEOUT, "exec", "p", "--", "cat", "/tmp/copied-" + transport + ".txt")));

        Path back = work.resolve("out-" + transport + ".txt");
        ok(kubectl.run(env, null, COMMAND_TIMEOUT, "cp", "p:/tmp/copied-" + transport + ".txt", back.toString()));
        assertEquals(content, Files.readString(back));
    }

    @Test
    void attachStreamsTheRunningOutput() throws Exception {
        var attach = kubectl.start(WEBSOCKET, null, "attach", "p", "-c", "main");
        try {
            long deadline = System.currentTimeMillis() + 5000;
            while (System.currentTimeMillis() < deadline && !attach.out().contains("line ")) {
                Thread.sleep(200);
            }
            assertTrue(attach.out().contains("line "), attach.out() + attach.err());
        } finally {
            attach.stop();
        }
    }

    // ---- port-forward ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void portForwardReachesThePod(String transport, Map<String, String> env) throws Exception {
        int localPort = transport.equals("spdy") ? 18562 : 18561;
        var forward = kubectl.start(env, null, "port-forward", "pod/p", localPort + ":8080");
        try {
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline && !forward.out().contains("Forwarding from")) {
                assertTrue(forward.process().isAlive(), forward.err());
                Thread.sleep(100);
            }
            var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (int i = 0; i < 3; i++) {
                var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + localPort + "/"))
                        .timeout(Duration.ofSeconds(10)).build();
                var response = http.send(request, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
                assertEquals("hello from the pod\n", response.body());
            }
        } finally {
            forward.stop();
        }
    }

    // ---- set-up ----

    private static String ok(Kubectl.Result result) {
        assertEquals(0, result.exitCode(), "stdout: " + result.out() + "\nstderr: " + result.err());
        return result.out();
    }

    private Process startEtcd() throws IOException, InterruptedException {
        Path data = home.resolve("etcd");
        // A fresh store each run: objects left by an earlier run would clash with the ones this run creates.
        TempFolders.delete(data);
        Process process = new ProcessBuilder("etcd", "--name", "streams-it", "--data-dir", data.toString(),
                "--listen-client-urls", "http://127.0.0.1:" + ETCD_PORT,
                "--advertise-client-urls", "http://127.0.0.1:" + ETCD_PORT,
                "--listen-peer-urls", "http://127.0.0.1:" + (ETCD_PORT + 1),
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + (ETCD_PORT + 1),
                "--initial-cluster", "streams-it=http://127.0.0.1:" + (ETCD_PORT + 1))
                .redirectErrorStream(true).redirectOutput(home.resolve("etcd.log").toFile()).start();
        var http = HttpClient.newHttpClient();
        for (int i = 0; i < 100; i++) {
            try {
                var health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ETCD_PORT + "/health"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.body().contains("true")) {
                    return process;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        process.destroy();
        throw new IllegalStateException("etcd did not start; see " + home.resolve("etcd.log"));
    }

    /** The Node as a node agent registers it: reachable at 127.0.0.1 on the NodeServer's port. */
    private void createNode() throws Exception {
        ok(kubectl.run(WEBSOCKET, "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + NODE + "\"}}",
                COMMAND_TIMEOUT, "create", "--validate=false", "-f", "-"));
        ok(kubectl.run(WEBSOCKET, null, COMMAND_TIMEOUT, "patch", "node", NODE, "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
                        + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":" + NODE_PORT + "}}}}"));
    }

    /**
     * Pod "p": container "main" serves HTTP on 8080 and prints a line a second; container "once" ran before
     * (attempt 0 printed "first run" and exited) and runs again (attempt 1), so --previous has something to show.
     */
    private void runPod() throws Exception {
        cri.withDeadline(Duration.ofMinutes(1)).pullImage(CriClient.image("busybox")).join();
        String uid = UUID.randomUUID().toString();
        PodSandboxConfig sandbox = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName("p").setNamespace("default").setUid(uid))
                .setHostname("p")
                .setLogDirectory(home.resolve("pods/default_p_" + uid).toString())
                .putLabels(CriContainerLocator.POD_NAMESPACE_LABEL, "default")
                .putLabels(CriContainerLocator.POD_NAME_LABEL, "p")
                .putLabels("io.kubernetes.pod.uid", uid)
                .build();
        String sandboxId = cri.runPodSandbox(sandbox, "").join();
        String main = container(sandboxId, sandbox, "main", 0, "mkdir -p /www && echo 'hello from the pod' > /www/index.html"
                + " && httpd -p 8080 -h /www && i=0; while true; do echo \"line $i\"; i=$((i+1)); sleep 1; done");
        String first = container(sandboxId, sandbox, "once", 0, "echo 'first run'");
        long deadline = System.currentTimeMillis() + 10_000;
        while (cri.containerStatus(first).join().getStatus().getFinishedAt() == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        String second = container(sandboxId, sandbox, "once", 1, "echo 'second run'; exec sleep 3600");
        String podIp = cri.podSandboxStatus(sandboxId).join().getStatus().getNetwork().getIp();

        ok(kubectl.run(WEBSOCKET, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"namespace\":\"default\","
                + "\"annotations\":{\"kubectl.kubernetes.io/default-container\":\"main\"}},"
                + "\"spec\":{\"nodeName\":\"" + NODE + "\",\"containers\":[{\"name\":\"main\",\"image\":\"busybox\"},"
                + "{\"name\":\"once\",\"image\":\"busybox\"}]}}", COMMAND_TIMEOUT, "create", "--validate=false", "-f", "-"));
        String now = java.time.Instant.now().toString();
        ok(kubectl.run(WEBSOCKET, null, COMMAND_TIMEOUT, "patch", "pod", "p", "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"phase\":\"Running\",\"podIP\":\"" + podIp + "\",\"hostIP\":\"127.0.0.1\",\"startTime\":\"" + now + "\","
                        + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],\"containerStatuses\":["
                        + containerStatus("main", main, 0, now) + "," + containerStatus("once", second, 1, now) + "]}}"));
    }

    private String container(String sandboxId, PodSandboxConfig sandbox, String name, int attempt, String shell) {
        ContainerConfig config = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(name).setAttempt(attempt))
                .setImage(CriClient.image("busybox"))
                .addAllCommand(List.of("sh", "-c", shell))
                .setLogPath(name + "/" + attempt + ".log")
                .putLabels(CriContainerLocator.POD_NAMESPACE_LABEL, "default")
                .putLabels(CriContainerLocator.POD_NAME_LABEL, "p")
                .putLabels(CriContainerLocator.CONTAINER_NAME_LABEL, name)
                .build();
        String id = cri.createContainer(sandboxId, config, sandbox).join();
        cri.startContainer(id).join();
        return id;
    }

    private static String containerStatus(String name, String id, int restarts, String startedAt) {
        return "{\"name\":\"" + name + "\",\"ready\":true,\"started\":true,\"restartCount\":" + restarts
                + ",\"image\":\"busybox\",\"imageID\":\"\",\"containerID\":\"containerd://" + id + "\","
                + "\"state\":{\"running\":{\"startedAt\":\"" + startedAt + "\"}}}";
    }
}
