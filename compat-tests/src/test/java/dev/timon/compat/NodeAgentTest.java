package dev.timon.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.timon.cri.CriClient;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import runtime.v1.Api.ContainerFilter;
import runtime.v1.Api.PodSandboxFilter;

/** The node agent running ordinary pod manifests in a real containerd, driven with the real kubectl. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NodeAgentTest {
    private NodeCluster cluster;
    private CriClient cri;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new NodeCluster(NodeCluster.NODE_AGENT_TEST);
        cluster.start();
        cri = CriClient.connect(cluster.containerdSocket());
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cri != null) {
            cri.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void nodeRegistersWithAddressesAndRuntime() throws Exception {
        var node = cluster.client.nodes().withName(cluster.site.node()).get();
        assertEquals(cluster.site.podCidr(), node.getSpec().getPodCIDR());
        assertTrue(node.getStatus().getNodeInfo().getContainerRuntimeVersion().startsWith("containerd://"));
        assertTrue(node.getStatus().getAddresses().stream().anyMatch(a -> a.getType().equals("InternalIP")));
        assertTrue(node.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")));
        assertTrue(cluster.kubectl("", "get", "lease", "-n", "kube-node-lease", cluster.site.node()).contains(cluster.site.node()));
    }

    @Test
    void httpdPodBecomesReadyAndAnswersOnItsPodIp() throws Exception {
        create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: default}
                spec:
                  nodeName: kl-node
                  containers:
                  - name: httpd
                    image: busybox
                    command: ["sh", "-c", "mkdir -p /www && echo hello-$(POD) > /www/index.html && exec httpd -f -p 8080 -h /www"]
                    env: [{name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
                    readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}
                """);
        var pod = await("web", p -> isReady(p));
        assertEquals("Running", pod.getStatus().getPhase());
        var status = pod.getStatus().getContainerStatuses().get(0);
        assertTrue(status.getContainerID().startsWith("containerd://"), status.getContainerID());
        assertTrue(status.getImageID().contains("@sha256:"), status.getImageID());
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + pod.getStatus().getPodIP() + ":8080/"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("hello-web\n", response.body());
    }

    @Test
    void configMapVolumeSecretEnvAndMemoryLimitReachTheContainer() throws Exception {
        create("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, namespace: default}
                data: {greeting: hello-from-configmap}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: creds, namespace: default}
                stringData: {password: s3cret}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: config, namespace: default}
                spec:
                  nodeName: kl-node
                  containers:
                  - name: main
                    image: busybox
                    command: ["sh", "-c", "echo greeting=$(cat /etc/settings/greeting); echo password=$PASSWORD; echo limit=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes); exec sleep 3600"]
                    env: [{name: PASSWORD, valueFrom: {secretKeyRef: {name: creds, key: password}}}]
                    resources: {limits: {memory: 64Mi, cpu: 200m}}
                    volumeMounts: [{name: settings, mountPath: /etc/settings}]
                  volumes: [{name: settings, configMap: {name: settings}}]
                """);
        var pod = await("config", NodeAgentTest::isReady);
        Path log = cluster.podLogs().resolve("default_config_" + pod.getMetadata().getUid()).resolve("main/0.log");
        String text = awaitLog(log, "limit=");
        assertTrue(text.contains("greeting=hello-from-configmap"), text);
        assertTrue(text.contains("password=s3cret"), text);
        assertTrue(text.contains("limit=67108864"), text);
        // The same through CRI ExecSync.
        var exec = cri.execSync(pod.getStatus().getContainerStatuses().get(0).getContainerID().substring("containerd://".length()),
                List.of("cat", "/etc/settings/greeting"), Duration.ofSeconds(10)).join();
        assertEquals("hello-from-configmap", exec.getStdout().toStringUtf8());
        // An update reaches the running container's files at the next periodic sync.
        cluster.kubectl("", "patch", "configmap", "settings", "-n", "default", "--type=merge", "-p",
                "{\"data\":{\"greeting\":\"updated\"}}");
        String containerId = pod.getStatus().getContainerStatuses().get(0).getContainerID().substring("containerd://".length());
        String seen = Await.until("the updated greeting in the container", NodeCluster.SYNC_FREQUENCY.multipliedBy(4),
                () -> cri.execSync(containerId, List.of("cat", "/etc/settings/greeting"), Duration.ofSeconds(10)).join()
                        .getStdout().toStringUtf8(), "updated"::equals);
        assertEquals("updated", seen);
    }

    @Test
    void overLimitContainerIsOomKilledAndRestarted() throws Exception {
        create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: oom, namespace: default}
                spec:
                  nodeName: kl-node
                  containers:
                  - {name: main, image: busybox, command: ["sh", "-c", "tail /dev/zero"], resources: {limits: {memory: 20Mi}}}
                """);
        var pod = await("oom", p -> main(p) != null && main(p).getRestartCount() >= 1 && main(p).getLastState().getTerminated() != null);
        assertEquals("OOMKilled", main(pod).getLastState().getTerminated().getReason());
    }

    @Test
    void failingLivenessProbeRestartsTheContainer() throws Exception {
        create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: liveness, namespace: default}
                spec:
                  nodeName: kl-node
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: main
                    image: busybox
                    command: ["sleep", "3600"]
                    livenessProbe: {exec: {command: ["cat", "/no-such-file"]}, periodSeconds: 1, failureThreshold: 2}
                """);
        await("liveness", p -> main(p) != null && main(p).getRestartCount() >= 1);
        var events = cluster.kubectl("", "get", "events", "--field-selector", "involvedObject.name=liveness");
        assertTrue(events.contains("Unhealthy") && events.contains("Killing"), events);
    }

    @Test
    void crashingContainerReachesCrashLoopBackOffWithItsExitCode() throws Exception {
        create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: crash, namespace: default}
                spec:
                  nodeName: kl-node
                  containers:
                  - {name: main, image: busybox, command: ["sh", "-c", "exit 3"]}
                """);
        var pod = await("crash", p -> main(p) != null && main(p).getState().getWaiting() != null
                && "CrashLoopBackOff".equals(main(p).getState().getWaiting().getReason()));
        assertEquals(3, main(pod).getLastState().getTerminated().getExitCode());
        assertTrue(cluster.kubectl("", "get", "pod", "crash").contains("CrashLoopBackOff"));
    }

    @Test
    void missingImageGivesImagePullBackOff() throws Exception {
        create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: noimage, namespace: default}
                spec:
                  nodeName: kl-node
                  containers:
                  - {name: main, image: "busybox:no-such-tag"}
                """);
        await("noimage", p -> main(p) != null && main(p).getState().getWaiting() != null
                && "ImagePullBackOff".equals(main(p).getState().getWaiting().getReason()));
    }

    @Test
    void deletingAPodRunsPreStopAndLeavesNothingInContainerd() throws Exception {
        Path markers = cluster.home.resolve("prestop");
        create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: stopme, namespace: default}
                spec:
                  nodeName: kl-node
                  terminationGracePeriodSeconds: 5
                  volumes: [{name: out, hostPath: {path: %s, type: DirectoryOrCreate}}]
                  containers:
                  - name: main
                    image: busybox
                    command: ["sleep", "3600"]
                    volumeMounts: [{name: out, mountPath: /out}]
                    lifecycle: {preStop: {exec: {command: ["sh", "-c", "echo ran > /out/marker"]}}}
                """.formatted(markers));
        String uid = await("stopme", NodeAgentTest::isReady).getMetadata().getUid();
        cluster.kubectl("", "delete", "pod", "stopme", "--timeout=60s");
        assertEquals("ran\n", Files.readString(markers.resolve("marker")));
        var filter = PodSandboxFilter.newBuilder().putLabelSelector("io.kubernetes.pod.uid", uid).build();
        assertTrue(cri.listPodSandboxes(filter).join().isEmpty());
        assertTrue(cri.listContainers(ContainerFilter.newBuilder().putLabelSelector("io.kubernetes.pod.uid", uid).build()).join().isEmpty());
    }

    @Test
    void restartedAgentLeavesRunningPodsUntouched() throws Exception {
        create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: survivor, namespace: default}
                spec:
                  nodeName: kl-node
                  containers:
                  - {name: main, image: busybox, command: ["sleep", "3600"]}
                """);
        var before = main(await("survivor", NodeAgentTest::isReady));
        cluster.stopAgent();
        cluster.startAgent();
        // A probe pod proves the new agent is at work before the survivor is judged.
        create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: after-restart, namespace: default}
                spec:
                  nodeName: kl-node
                  containers:
                  - {name: main, image: busybox, command: ["sleep", "3600"]}
                """);
        await("after-restart", NodeAgentTest::isReady);
        var after = main(cluster.client.pods().inNamespace("default").withName("survivor").get());
        assertEquals(before.getContainerID(), after.getContainerID());
        assertEquals(before.getRestartCount(), after.getRestartCount());
        String id = after.getContainerID().substring("containerd://".length());
        assertEquals(runtime.v1.Api.ContainerState.CONTAINER_RUNNING, cri.containerStatus(id).join().getStatus().getState());
        var uid = cluster.client.pods().inNamespace("default").withName("survivor").get().getMetadata().getUid();
        assertEquals(1, cri.listPodSandboxes(PodSandboxFilter.newBuilder().putLabelSelector("io.kubernetes.pod.uid", uid).build()).join().size());
    }

    private void create(String yaml) throws Exception {
        cluster.apply(yaml);
    }

    private Pod await(String name, Predicate<Pod> condition) throws InterruptedException {
        return cluster.awaitPod(name, condition);
    }

    private static String awaitLog(Path log, String marker) throws Exception {
        long deadline = System.nanoTime() + NodeCluster.POD_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(marker)) {
                return Files.readString(log);
            }
            Thread.sleep(200);
        }
        fail("no " + marker + " in " + log);
        return null;
    }

    private static ContainerStatus main(Pod pod) {
        return NodeCluster.firstContainer(pod);
    }

    private static boolean isReady(Pod pod) {
        return NodeCluster.isReady(pod);
    }
}
