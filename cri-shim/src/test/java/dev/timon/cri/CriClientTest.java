package dev.timon.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import runtime.v1.Api.ContainerConfig;
import runtime.v1.Api.ContainerFilter;
import runtime.v1.Api.ContainerMetadata;
import runtime.v1.Api.ContainerState;
import runtime.v1.Api.ExecRequest;
import runtime.v1.Api.ImageFilter;
import runtime.v1.Api.KeyValue;
import runtime.v1.Api.LinuxContainerConfig;
import runtime.v1.Api.LinuxContainerResources;
import runtime.v1.Api.LinuxPodSandboxConfig;
import runtime.v1.Api.LinuxSandboxSecurityContext;
import runtime.v1.Api.NamespaceMode;
import runtime.v1.Api.NamespaceOption;
import runtime.v1.Api.PodSandboxConfig;
import runtime.v1.Api.PodSandboxFilter;
import runtime.v1.Api.PodSandboxMetadata;
import runtime.v1.Api.PodSandboxState;
import runtime.v1.Api.PortMapping;

/**
 * Drives a real, private containerd through {@link CriClient}: the runtime is configured and started by
 * scripts/node-runtime.sh exactly as the launcher does, with its own pod CIDR, bridge and registry port so it
 * does not clash with a running cluster. Needs root, as the node agent does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CriClientTest {

    private static final String POD_CIDR = "10.244.250.0/24";
    private static final String POD_NET_PREFIX = "10.244.250.";
    private static final String BRIDGE = "timontest0";
    private static final int REGISTRY_PORT = Integer.getInteger("timon.test.registryPort", 5101);
    /** Outside the NodePort range, so a running cluster's service rules cannot capture it. */
    private static final int HOST_PORT = Integer.getInteger("timon.test.hostPort", 18080);

    private Path home;
    private NodeRuntimeScript script;
    private CriClient cri;

    @BeforeAll
    void startRuntime() throws Exception {
        var repo = Path.of(System.getProperty("timon.repo", "..")).toAbsolutePath().normalize();
        home = Path.of(System.getProperty("timon.testHome", "target/cri-it")).toAbsolutePath().normalize();
        // Unix socket paths are limited to 108 bytes; a deep checkout gets a short private folder instead.
        if (home.resolve("containerd/containerd.sock.ttrpc").toString().length() > 100) {
            home = Files.createTempDirectory("timon-cri-it");
        }
        Files.createDirectories(home);
        script = new NodeRuntimeScript(repo, REGISTRY_PORT);
        // JUnit runs @AfterAll even when this fails half-way, so whatever was started gets stopped.
        script.run("runtime_install_packages");
        script.run("containerd_write_config", home.toString(), POD_CIDR, BRIDGE);
        script.run("registry_start", home.toString());
        script.run("images_build_and_push", home.toString());
        script.run("containerd_start", home.toString());
        cri = CriClient.connect(home.resolve("containerd/containerd.sock"), Duration.ofSeconds(20));
        // A run that died half-way may have left pods in this private containerd.
        CriTool.teardownPods(cri);
    }

    @AfterAll
    void stopRuntime() throws Exception {
        if (script == null) {
            return;
        }
        try {
            if (cri != null) {
                try (var closing = cri) {
                    CriTool.teardownPods(closing);
                }
            }
        } finally {
            try {
                script.run("containerd_stop", home.toString());
            } finally {
                script.run("registry_stop", home.toString());
                // The CNI bridge outlives its pods; it is this test's own.
                new ProcessBuilder("ip", "link", "delete", BRIDGE).redirectErrorStream(true).start().waitFor();
            }
        }
    }

    @Test
    void reportsVersionAndReadyConditions() {
        var version = cri.version().join();
        assertEquals("containerd", version.getRuntimeName());
        assertEquals("v1", version.getRuntimeApiVersion());

        var conditions = cri.status().join().getStatus().getConditionsList();
        for (var type : List.of("RuntimeReady", "NetworkReady")) {
            assertTrue(conditions.stream().anyMatch(c -> c.getType().equals(type) && c.getStatus()),
                    type + " in " + conditions);
        }
        assertFalse(cri.imageFsInfo().join().getImageFilesystemsList().isEmpty());
    }

    @Test
    void pullsDockerHubNamesThroughTheLocalMirror() {
        var imageRef = cri.withDeadline(Duration.ofMinutes(1)).pullImage(CriClient.image("busybox:1.36")).join();
        assertTrue(imageRef.startsWith("sha256:"), imageRef);

        var status = cri.imageStatus(CriClient.image("docker.io/library/busybox:1.36")).join();
        assertTrue(status.hasImage());
        assertEquals(imageRef, status.getImage().getId());
        assertTrue(cri.listImages(ImageFilter.getDefaultInstance()).join().stream()
                .anyMatch(image -> image.getId().equals(imageRef)));
        assertFalse(cri.imageStatus(CriClient.image("busybox:no-such-tag")).join().hasImage());
    }

    @Test
    void runsABusyboxPodThatServesHttpOnItsPodIp() throws Exception {
        cri.withDeadline(Duration.ofMinutes(1)).pullImage(CriClient.image("busybox")).join();
        var sandboxConfig = sandboxConfig("web").toBuilder()
                .addPortMappings(PortMapping.newBuilder().setContainerPort(8080).setHostPort(HOST_PORT).setHostIp("127.0.0.1"))
                .build();
        var logDir = Path.of(sandboxConfig.getLogDirectory());
        String podId = cri.runPodSandbox(sandboxConfig, "").join();
        try {
            var podIp = readyPodIp(podId);

            var containerConfig = ContainerConfig.newBuilder()
                    .setMetadata(ContainerMetadata.newBuilder().setName("httpd"))
                    .setImage(CriClient.image("busybox"))
                    .addAllCommand(List.of("sh", "-c",
                            "mkdir -p /tmp/www && echo \"hello from $POD\" > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www"))
                    .addEnvs(KeyValue.newBuilder().setKey("POD").setValue("web"))
                    .setLogPath("httpd/0.log")
                    .setLinux(LinuxContainerConfig.newBuilder().setResources(LinuxContainerResources.newBuilder()
                            .setMemoryLimitInBytes(64L << 20).setCpuShares(256)))
                    .build();
            String containerId = cri.createContainer(podId, containerConfig, sandboxConfig).join();
            cri.startContainer(containerId).join();

            var status = cri.containerStatus(containerId).join().getStatus();
            assertEquals(ContainerState.CONTAINER_RUNNING, status.getState());
            assertTrue(status.getStartedAt() > 0);
            assertTrue(status.getImageRef().contains("sha256:"), status.getImageRef());
            assertEquals(logDir.resolve("httpd/0.log").toString(), status.getLogPath());

            var hello = cri.execSync(containerId, List.of("echo", "hello"), Duration.ofSeconds(10)).join();
            assertEquals(0, hello.getExitCode());
            assertEquals("hello\n", hello.getStdout().toStringUtf8());
            assertEquals(64L << 20, memoryLimitSeenBy(containerId));
            cri.updateContainerResources(containerId, LinuxContainerResources.newBuilder()
                    .setMemoryLimitInBytes(96L << 20).setCpuShares(512).build()).join();
            assertEquals(96L << 20, memoryLimitSeenBy(containerId));

            assertEquals("hello from web\n", httpGetWithRetries(URI.create("http://" + podIp + ":8080/")));
            // hostPort through the CNI portmap plugin.
            assertEquals("hello from web\n", httpGetWithRetries(URI.create("http://127.0.0.1:" + HOST_PORT + "/")));
            cri.reopenContainerLog(containerId).join();
            assertTrue(Files.exists(logDir.resolve("httpd/0.log")));
            assertTrue(cri.exec(ExecRequest.newBuilder().setContainerId(containerId)
                    .addCmd("sh").setStdout(true).build()).join().startsWith("http://127.0.0.1:"));

            var listed = cri.listContainers(ContainerFilter.newBuilder().setPodSandboxId(podId).build()).join();
            assertEquals(List.of(containerId), listed.stream().map(c -> c.getId()).toList());

            // Stopped by a signal: SIGTERM, or SIGKILL once the 1 s grace period is over.
            cri.stopContainer(containerId, 1).join();
            var stopped = cri.containerStatus(containerId).join().getStatus();
            assertEquals(ContainerState.CONTAINER_EXITED, stopped.getState());
            assertTrue(stopped.getFinishedAt() >= stopped.getStartedAt());
            assertTrue(List.of(128 + 15, 128 + 9).contains(stopped.getExitCode()), "exit code " + stopped.getExitCode());
            cri.removeContainer(containerId).join();
        } finally {
            cri.stopPodSandbox(podId).join();
            cri.removePodSandbox(podId).join();
        }
        assertTrue(cri.listPodSandboxes(PodSandboxFilter.newBuilder().setId(podId).build()).join().isEmpty());
    }

    @Test
    void runsNginxFromItsDockerHubName() throws Exception {
        cri.withDeadline(Duration.ofMinutes(1)).pullImage(CriClient.image("nginx")).join();
        var sandboxConfig = sandboxConfig("nginx");
        String podId = cri.runPodSandbox(sandboxConfig, "").join();
        try {
            var podIp = readyPodIp(podId);
            var containerConfig = ContainerConfig.newBuilder()
                    .setMetadata(ContainerMetadata.newBuilder().setName("nginx"))
                    .setImage(CriClient.image("nginx"))
                    .setLogPath("nginx/0.log")
                    .build();
            String containerId = cri.createContainer(podId, containerConfig, sandboxConfig).join();
            cri.startContainer(containerId).join();
            assertTrue(httpGetWithRetries(URI.create("http://" + podIp + "/")).contains("Welcome to nginx"));
        } finally {
            cri.stopPodSandbox(podId).join();
            cri.removePodSandbox(podId).join();
        }
    }

    private long memoryLimitSeenBy(String containerId) {
        var cat = cri.execSync(containerId, List.of("cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes"),
                Duration.ofSeconds(10)).join();
        assertEquals(0, cat.getExitCode(), cat.getStderr().toStringUtf8());
        return Long.parseLong(cat.getStdout().toStringUtf8().trim());
    }

    /** A sandbox as the kubelet would describe it: own network, own PID namespace per container. */
    private PodSandboxConfig sandboxConfig(String name) {
        var uid = UUID.randomUUID().toString();
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("cri-test").setUid(uid))
                .setHostname(name)
                .setLogDirectory(home.resolve("pods/" + uid).toString())
                .putLabels("app", name)
                .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                        .setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.CONTAINER))))
                .build();
    }

    /** Checks the sandbox is ready with an address from the test's CNI bridge, and returns that address. */
    private String readyPodIp(String podId) {
        var sandbox = cri.podSandboxStatus(podId).join().getStatus();
        assertEquals(PodSandboxState.SANDBOX_READY, sandbox.getState());
        var podIp = sandbox.getNetwork().getIp();
        assertTrue(podIp.startsWith(POD_NET_PREFIX), "pod IP " + podIp + " from " + POD_CIDR);
        return podIp;
    }

    /** GETs a URL on a pod of this test, retrying while the server starts (bounded: about 10 s). */
    private static String httpGetWithRetries(URI uri) throws InterruptedException {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        var request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build();
        IOException last = null;
        for (int attempt = 0; attempt < 40; attempt++) {
            try {
                var response = http.send(request, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
                return response.body();
            } catch (IOException e) {
                last = e;
                Thread.sleep(250);
            }
        }
        return fail("no HTTP answer from " + uri, last);
    }
}
