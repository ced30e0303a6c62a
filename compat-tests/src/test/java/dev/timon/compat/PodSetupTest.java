package dev.timon.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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

/**
 * What the node agent sets up around a pod's containers in a real containerd, checked from inside the containers
 * with the real kubectl and on the machine: the pod's cgroup per QoS class with the pod's limits, the
 * agent-managed /etc/hosts, the service environment variables and termination messages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PodSetupTest {
    private static final Path CGROUP_FS = Path.of("/sys/fs/cgroup");

    private NodeCluster cluster;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new NodeCluster(NodeCluster.POD_SETUP_TEST);
        cluster.start();
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Two containers' resources per QoS class, the pod cgroup's folder and the limits expected in it ("max" for none). */
    static Stream<Arguments> qosClasses() {
        return Stream.of(
                Arguments.of("guaranteed", "{limits: {cpu: 250m, memory: 32Mi}}", "{limits: {cpu: 250m, memory: 48Mi}}",
                        "kubepods/pod", Map.of("cpu/cpu.shares", "512", "cpu/cpu.cfs_quota_us", "50000",
                                "memory/memory.limit_in_bytes", Long.toString(80L << 20))),
                // One container without a memory limit leaves the whole pod without one.
                Arguments.of("burstable", "{requests: {cpu: 100m}, limits: {memory: 32Mi}}", "{requests: {cpu: 100m}}",
                        "kubepods/burstable/pod", Map.of("cpu/cpu.shares", "204", "cpu/cpu.cfs_quota_us", "-1",
                                "memory/memory.limit_in_bytes", "max")),
                Arguments.of("besteffort", "{}", "{}",
                        "kubepods/besteffort/pod", Map.of("cpu/cpu.shares", "2", "cpu/cpu.cfs_quota_us", "-1",
                                "memory/memory.limit_in_bytes", "max")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("qosClasses")
    void podCgroupFollowsTheQosClassAndHoldsItsContainers(String qos, String firstResources, String secondResources,
                                                          String podCgroupPrefix, Map<String, String> limits) throws Exception {
        String name = "cgroup-" + qos;
        cluster.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: default}
                spec:
                  nodeName: %s
                  terminationGracePeriodSeconds: 1
                  containers:
                  - {name: first, image: busybox, command: ["sleep", "3600"], resources: %s}
                  - {name: second, image: busybox, command: ["sleep", "3600"], resources: %s}
                """.formatted(name, cluster.site.node(), firstResources, secondResources));
        var pod = cluster.awaitPod(name, NodeCluster::isReady);
        assertEquals(qos, pod.getStatus().getQosClass().toLowerCase());
        String podCgroup = podCgroupPrefix + pod.getMetadata().getUid();
        for (var container : pod.getStatus().getContainerStatuses()) {
            // The container's own process, as the kernel places it: /proc/1/cgroup from inside, through exec.
            String cgroups = cluster.kubectl("", "exec", name, "-c", container.getName(), "--", "cat", "/proc/1/cgroup");
            String id = container.getContainerID().substring("containerd://".length());
            for (String controller : new String[] {"memory", "cpu", "pids"}) {
                String line = cgroups.lines().filter(l -> l.split(":")[1].equals(controller)).findFirst().orElseThrow();
                assertEquals("/" + podCgroup + "/" + id, line.split(":")[2], cgroups);
            }
        }
        String unlimited = Files.readString(CGROUP_FS.resolve("memory/memory.limit_in_bytes")).strip();
        limits.forEach((file, expected) -> {
            Path path = CGROUP_FS.resolve(file.substring(0, file.indexOf('/'))).resolve(podCgroup).resolve(file.substring(file.indexOf('/') + 1));
            assertEquals(expected.equals("max") ? unlimited : expected, read(path), path.toString());
        });

        cluster.kubectl("", "delete", "pod", name, "--timeout=60s");
        for (String controller : new String[] {"memory", "cpu", "unified"}) {
            Path dir = CGROUP_FS.resolve(controller).resolve(podCgroup);
            assertTrue(awaitGone(dir), dir + " is left behind");
        }
    }

    @Test
    void kubepodsIsCappedAtTheNodesCapacityLessItsSystemReserve() throws Exception {
        // The agent reserves 100m CPU and 256 MiB for the system; the kernel rounds a limit down to whole pages.
        long memTotal = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElseThrow();
        long expectedMemory = (memTotal - (256L << 20)) / 4096 * 4096;
        long expectedShares = (Runtime.getRuntime().availableProcessors() * 1000L - 100) * 1024 / 1000;
        assertEquals(Long.toString(expectedMemory), read(CGROUP_FS.resolve("memory/kubepods/memory.limit_in_bytes")));
        assertEquals(Long.toString(expectedShares), read(CGROUP_FS.resolve("cpu/kubepods/cpu.shares")));
        assertEquals("2", read(CGROUP_FS.resolve("cpu/kubepods/besteffort/cpu.shares")));
    }

    @Test
    void restartedAgentRemovesOnlyOldEmptyPodCgroupsLeftBehind() throws Exception {
        // As `./timon down` leaves them: pods torn down through CRI, with no agent to remove their cgroups.
        Path leftover = CGROUP_FS.resolve("memory/kubepods/besteffort/pod" + UUID.randomUUID());
        Path fresh = CGROUP_FS.resolve("memory/kubepods/besteffort/pod" + UUID.randomUUID());
        Files.createDirectory(leftover);
        Files.setLastModifiedTime(leftover, FileTime.from(Instant.now().minus(Duration.ofMinutes(10))));
        // Just made: maybe by another agent on this machine about to start a sandbox in it.
        Files.createDirectory(fresh);
        try {
            cluster.apply("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: cgroup-in-use, namespace: default}
                    spec:
                      nodeName: %s
                      containers:
                      - {name: main, image: busybox, command: ["sleep", "3600"]}
                    """.formatted(cluster.site.node()));
            var pod = cluster.awaitPod("cgroup-in-use", NodeCluster::isReady);
            Path inUse = CGROUP_FS.resolve("memory/kubepods/besteffort/pod" + pod.getMetadata().getUid());
            Files.setLastModifiedTime(inUse, FileTime.from(Instant.now().minus(Duration.ofMinutes(10))));

            cluster.stopAgent();
            cluster.startAgent();

            assertFalse(Files.exists(leftover), leftover + " is left behind");
            assertTrue(Files.exists(fresh), fresh + " was removed");
            assertTrue(Files.exists(inUse), inUse + " was removed while its pod runs");
        } finally {
            Files.deleteIfExists(fresh);
            Files.deleteIfExists(leftover);
        }
    }

    @Test
    void managedHostsFileNamesThePodAndItsAliasesInEveryContainer() throws Exception {
        cluster.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: hosts, namespace: default}
                spec:
                  nodeName: %s
                  hostname: web-0
                  subdomain: web
                  hostAliases:
                  - {ip: 10.1.2.3, hostnames: [foo.local, bar.local]}
                  - {ip: 10.1.2.4, hostnames: [baz.local]}
                  containers:
                  - {name: first, image: busybox, command: ["sleep", "3600"]}
                  - {name: second, image: busybox, command: ["sleep", "3600"]}
                """.formatted(cluster.site.node()));
        var pod = cluster.awaitPod("hosts", NodeCluster::isReady);
        String expected = """
                # Kubernetes-managed hosts file.
                127.0.0.1\tlocalhost
                ::1\tlocalhost ip6-localhost ip6-loopback
                fe00::0\tip6-localnet
                fe00::0\tip6-mcastprefix
                fe00::1\tip6-allnodes
                fe00::2\tip6-allrouters
                %s\tweb-0.web.default.svc.cluster.local\tweb-0

                # Entries added by HostAliases.
                10.1.2.3\tfoo.local\tbar.local
                10.1.2.4\tbaz.local
                """.formatted(pod.getStatus().getPodIP());
        for (String container : new String[] {"first", "second"}) {
            assertEquals(expected, cluster.kubectl("", "exec", "hosts", "-c", container, "--", "cat", "/etc/hosts"));
        }
    }

    @Test
    void hostNetworkPodGetsTheNodesHostsFileWithItsAliases() throws Exception {
        cluster.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: hosts-hostnet, namespace: default}
                spec:
                  nodeName: %s
                  hostNetwork: true
                  hostAliases: [{ip: 10.1.2.3, hostnames: [foo.local]}]
                  containers:
                  - {name: main, image: busybox, command: ["sleep", "3600"]}
                """.formatted(cluster.site.node()));
        cluster.awaitPod("hosts-hostnet", NodeCluster::isReady);
        assertEquals("# Kubernetes-managed hosts file (host network).\n" + Files.readString(Path.of("/etc/hosts"))
                        + "\n# Entries added by HostAliases.\n10.1.2.3\tfoo.local\n",
                cluster.kubectl("", "exec", "hosts-hostnet", "--", "cat", "/etc/hosts"));
    }

    @Test
    void containersGetServiceVariablesOfTheirNamespaceBelowTheirOwn() throws Exception {
        cluster.apply("""
                apiVersion: v1
                kind: Service
                metadata: {name: redis-primary, namespace: default}
                spec: {selector: {app: redis}, ports: [{name: redis, port: 6379}, {name: metrics, port: 9121}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: db, namespace: default}
                spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: elsewhere}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: elsewhere}
                spec: {selector: {app: web}, ports: [{port: 80}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: svcenv, namespace: default}
                spec:
                  nodeName: %1$s
                  containers:
                  - name: main
                    image: busybox
                    command: ["sleep", "3600"]
                    env:
                    - {name: REDIS_PRIMARY_SERVICE_PORT, value: "7777"}
                    - {name: REDIS_URL, value: "redis://$(REDIS_PRIMARY_SERVICE_HOST):$(REDIS_PRIMARY_SERVICE_PORT_REDIS)"}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: svcenv-nolinks, namespace: default}
                spec:
                  nodeName: %1$s
                  enableServiceLinks: false
                  containers:
                  - {name: main, image: busybox, command: ["sleep", "3600"]}
                """.formatted(cluster.site.node()));
        String redisIp = cluster.client.services().inNamespace("default").withName("redis-primary").get().getSpec().getClusterIP();
        cluster.awaitPod("svcenv", NodeCluster::isReady);
        var env = environment("svcenv");
        var expected = Map.ofEntries(
                Map.entry("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
                Map.entry("KUBERNETES_SERVICE_PORT", "443"),
                Map.entry("KUBERNETES_PORT", "tcp://10.96.0.1:443"),
                Map.entry("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443"),
                Map.entry("REDIS_PRIMARY_SERVICE_HOST", redisIp),
                // The container's own value wins over the service variable of the same name.
                Map.entry("REDIS_PRIMARY_SERVICE_PORT", "7777"),
                Map.entry("REDIS_PRIMARY_SERVICE_PORT_REDIS", "6379"),
                Map.entry("REDIS_PRIMARY_SERVICE_PORT_METRICS", "9121"),
                Map.entry("REDIS_PRIMARY_PORT", "tcp://" + redisIp + ":6379"),
                Map.entry("REDIS_PRIMARY_PORT_6379_TCP", "tcp://" + redisIp + ":6379"),
                Map.entry("REDIS_PRIMARY_PORT_6379_TCP_PROTO", "tcp"),
                Map.entry("REDIS_PRIMARY_PORT_6379_TCP_PORT", "6379"),
                Map.entry("REDIS_PRIMARY_PORT_6379_TCP_ADDR", redisIp),
                Map.entry("REDIS_PRIMARY_PORT_9121_TCP_ADDR", redisIp),
                // Service variables can be referenced from the container's own.
                Map.entry("REDIS_URL", "redis://" + redisIp + ":6379"));
        expected.forEach((name, value) -> assertEquals(value, env.get(name), name + " in " + env));
        // Headless services and other namespaces' services give nothing.
        assertTrue(env.keySet().stream().noneMatch(k -> k.startsWith("DB_") || k.startsWith("WEB_")), env.toString());

        cluster.awaitPod("svcenv-nolinks", NodeCluster::isReady);
        var withoutLinks = environment("svcenv-nolinks");
        assertEquals("10.96.0.1", withoutLinks.get("KUBERNETES_SERVICE_HOST"));
        assertTrue(withoutLinks.keySet().stream().noneMatch(k -> k.startsWith("REDIS_")), withoutLinks.toString());
    }

    @Test
    void terminationMessageComesFromTheFileOrTheEndOfTheLogOfAFailedContainer() throws Exception {
        // 100 lines of 49 bytes: the last 80 lines are more than 2048 bytes, so the byte bound applies.
        String longLines = "i=1; while [ $i -le 100 ]; do printf 'row %03d %s\\n' $i " + "x".repeat(40) + "; i=$((i+1)); done";
        cluster.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: goodbye, namespace: default}
                spec:
                  nodeName: %s
                  restartPolicy: Never
                  containers:
                  - {name: file, image: busybox, command: ["sh", "-c", "echo noise; printf 'bye from file' > /dev/termination-log"]}
                  - name: custom-path
                    image: busybox
                    terminationMessagePath: /tmp/outcome
                    terminationMessagePolicy: FallbackToLogsOnError
                    command: ["sh", "-c", "echo noise; printf 'written, not logged' > /tmp/outcome; exit 1"]
                  - name: short-lines
                    image: busybox
                    terminationMessagePolicy: FallbackToLogsOnError
                    command: ["sh", "-c", "i=1; while [ $i -le 100 ]; do echo line $i; i=$((i+1)); done; exit 3"]
                  - name: long-lines
                    image: busybox
                    terminationMessagePolicy: FallbackToLogsOnError
                    command: ["sh", "-c", "%s; exit 4"]
                  - name: succeeded
                    image: busybox
                    terminationMessagePolicy: FallbackToLogsOnError
                    command: ["sh", "-c", "echo all good"]
                """.formatted(cluster.site.node(), longLines));
        cluster.awaitPod("goodbye", p -> "Failed".equals(p.getStatus().getPhase()));

        var shortLines = new StringBuilder();
        for (int i = 21; i <= 100; i++) {
            shortLines.append("line ").append(i).append('\n');
        }
        var longOutput = new StringBuilder();
        for (int i = 21; i <= 100; i++) {
            longOutput.append("row %03d %s\n".formatted(i, "x".repeat(40)));
        }
        String lastBytes = longOutput.substring(longOutput.length() - 2048);
        var expected = Map.of("file", "bye from file", "custom-path", "written, not logged",
                "short-lines", shortLines.toString(), "long-lines", lastBytes, "succeeded", "");
        for (var entry : expected.entrySet()) {
            String message = cluster.kubectl("", "get", "pod", "goodbye", "-o",
                    "jsonpath={.status.containerStatuses[?(@.name==\"" + entry.getKey() + "\")].state.terminated.message}");
            assertEquals(entry.getValue(), message, entry.getKey());
        }
    }

    /** The environment of the pod's container as the container sees it. */
    private Map<String, String> environment(String pod) throws Exception {
        var env = new java.util.TreeMap<String, String>();
        for (String line : cluster.kubectl("", "exec", pod, "--", "env").split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path).strip();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The agent removes the pod's cgroups once its containers are gone, right after the pod object. */
    private static boolean awaitGone(Path dir) throws InterruptedException {
        long deadline = System.nanoTime() + NodeCluster.POD_WAIT.toNanos();
        while (Files.exists(dir) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return !Files.exists(dir);
    }
}
