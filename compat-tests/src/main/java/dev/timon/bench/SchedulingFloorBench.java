package dev.timon.bench;

import dev.timon.client.KubeClients;
import dev.timon.kubelet.node.LeaseRenewer;
import dev.timon.storage.EtcdStore;
import dev.timon.storage.Precondition;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.http.HttpMethod;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The floor under the scheduler benchmark's pods/s: the four writes that take a pod from creation to Running (its
 * create, its binding, the Scheduled event, the Running status a node reports), issued back to back by a lean client
 * with 100 pods in flight, and nothing else: no scheduler decides, no node agent or informer watches, no load
 * generator builds objects. First through the API server, then the same writes straight to etcd, with the stored
 * objects' sizes. It prints pods/s and the machine's CPU per pod for each: a component that schedules and runs pods
 * on this machine spends at least the first on top of its own work, and no API server spends less than the second.
 * Works in a namespace timon-sched-floor-* of its own on nodes floor-node-*, and deletes them after.
 * Usage: bench/scheduler-floor.sh [KUBECONFIG] [etcd-url] [pods]
 */
public final class SchedulingFloorBench {

    /** A namespace of its own per run: the previous run's may still be terminating. */
    private static final String NAMESPACE = "timon-sched-floor-" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    private static final int PODS_IN_FLIGHT = 100;
    /** As many connections as the scheduler benchmark creates over: each is served by one API server event loop. */
    private static final int CONNECTIONS = 10;
    private static final int NODES = 10;
    /** A scheduler of nobody's: the default scheduler leaves these pods to this benchmark's bindings. */
    private static final String POD = "{\"metadata\":{\"name\":\"p-%d\",\"labels\":{\"app\":\"floor-pods\"}},\"spec\":"
            + "{\"schedulerName\":\"timon-floor\",\"containers\":[{\"name\":\"main\",\"image\":\"busybox:1.36\","
            + "\"command\":[\"sleep\",\"3600\"]}]}}";
    private static final String BINDING = "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"p-%d\"},"
            + "\"target\":{\"kind\":\"Node\",\"name\":\"floor-node-%d\"}}";
    /** What the default scheduler records, in the shape its event recorder writes. */
    private static final String EVENT = "{\"metadata\":{\"name\":\"p-%1$d.scheduled\"},\"involvedObject\":{\"apiVersion\":"
            + "\"v1\",\"kind\":\"Pod\",\"namespace\":\"" + NAMESPACE + "\",\"name\":\"p-%1$d\"},\"type\":\"Normal\","
            + "\"reason\":\"Scheduled\",\"message\":\"Successfully assigned " + NAMESPACE + "/p-%1$d to floor-node-%2$d\","
            + "\"source\":{\"component\":\"default-scheduler\"},\"reportingComponent\":\"default-scheduler\","
            + "\"reportingInstance\":\"default-scheduler\",\"firstTimestamp\":\"2026-01-01T00:00:00Z\","
            + "\"lastTimestamp\":\"2026-01-01T00:00:00Z\",\"count\":1}";
    /** The hollow nodes' Running status, as a merge patch of pods/status. */
    private static final String RUNNING = "{\"status\":{\"phase\":\"Running\",\"hostIP\":\"10.0.0.1\",\"podIP\":"
            + "\"10.244.%1$d.%2$d\",\"startTime\":\"2026-01-01T00:00:00Z\",\"conditions\":["
            + "{\"type\":\"Initialized\",\"status\":\"True\",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"},"
            + "{\"type\":\"Ready\",\"status\":\"True\",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"},"
            + "{\"type\":\"ContainersReady\",\"status\":\"True\",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"},"
            + "{\"type\":\"PodScheduled\",\"status\":\"True\",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}],"
            + "\"containerStatuses\":[{\"name\":\"main\",\"image\":\"busybox:1.36\",\"imageID\":\"docker.io/hollow/busybox:1.36\","
            + "\"containerID\":\"hollow://p-%3$d/main\",\"ready\":true,\"started\":true,\"restartCount\":0,"
            + "\"state\":{\"running\":{\"startedAt\":\"2026-01-01T00:00:00Z\"}}}]}}";

    private final List<BenchClient> clients = new ArrayList<>();
    /**
     * The API server's answers, as it stored them, for the etcd run's values: the created pod (written again for the
     * binding, which answers with a Status), the event, the Running pod.
     */
    private final AtomicReference<byte[]> created = new AtomicReference<>();
    private final AtomicReference<byte[]> event = new AtomicReference<>();
    private final AtomicReference<byte[]> running = new AtomicReference<>();

    private SchedulingFloorBench(Path kubeconfig) throws Exception {
        for (int i = 0; i < CONNECTIONS; i++) {
            clients.add(new BenchClient(kubeconfig));
        }
    }

    public static void main(String[] args) throws Exception {
        Path kubeconfig = Path.of(args.length > 0 ? args[0] : ".timon/kubeconfig");
        String etcdUrl = args.length > 1 ? args[1] : "http://127.0.0.1:2479";
        int pods = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        System.out.println(Figures.machineSpeed());
        SchedulingFloorBench bench = new SchedulingFloorBench(kubeconfig);
        BenchClient admin = bench.clients.get(0);
        admin.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + NAMESPACE + "\"}}").get();
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "floor-heartbeats");
            thread.setDaemon(true);
            return thread;
        });
        try (KubernetesClient client = KubeClients.fromKubeconfig(kubeconfig)) {
            registerNodes(client, heartbeats);
            long cpu = processCpuNanos();
            PacedLoad.Run api = PacedLoad.run(pods, PODS_IN_FLIGHT, 0, bench::throughApiServer);
            print("API server", api, processCpuNanos() - cpu);
            if (bench.running.get() == null) {
                throw new IllegalStateException("no pod reached Running through the API server");
            }
            bench.straightToEtcd(etcdUrl, pods);
        } finally {
            heartbeats.shutdownNow();
            bench.cleanUp(admin);
        }
        System.exit(0);
    }

    /**
     * Nodes that are Ready and keep their Leases renewed, as a node agent's are: a node that stops would soon be
     * marked unreachable, and the node lifecycle controller's writes to every pod on it would be measured too.
     */
    private static void registerNodes(KubernetesClient client, ScheduledExecutorService heartbeats) {
        List<LeaseRenewer> leases = new ArrayList<>();
        for (int n = 0; n < NODES; n++) {
            String name = "floor-node-" + n;
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
            client.nodes().withName(name).editStatus(node -> new NodeBuilder(node).withNewStatus().addNewCondition()
                    .withType("Ready").withStatus("True").withReason("KubeletReady")
                    .withLastHeartbeatTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()).endCondition()
                    .endStatus().build());
            LeaseRenewer lease = new LeaseRenewer(client, name);
            lease.renew();
            leases.add(lease);
        }
        heartbeats.scheduleAtFixedRate(() -> leases.forEach(LeaseRenewer::renew), 10, 10, TimeUnit.SECONDS);
    }

    /**
     * Removes the pods at once (no node agent will confirm a graceful deletion), then the namespace and the nodes,
     * and waits for the namespace to go: a run after this one should not measure this one's deletions.
     */
    private void cleanUp(BenchClient admin) throws Exception {
        admin.delete("/api/v1/namespaces/" + NAMESPACE + "/pods?gracePeriodSeconds=0").get();
        admin.delete("/api/v1/namespaces/" + NAMESPACE).get();
        for (int n = 0; n < NODES; n++) {
            admin.delete("/api/v1/nodes/floor-node-" + n).get();
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline && admin.get("/api/v1/namespaces/" + NAMESPACE).get() != 404) {
            Thread.sleep(500);
        }
    }

    /** One pod's four requests, one after the other, each over the pod's connection. */
    private CompletableFuture<Boolean> throughApiServer(int i) {
        BenchClient client = clients.get(i % CONNECTIONS);
        String pod = "/api/v1/namespaces/" + NAMESPACE + "/pods/p-" + i;
        int node = i % NODES;
        return client.exchange(HttpMethod.POST, "/api/v1/namespaces/" + NAMESPACE + "/pods", "application/json",
                        POD.formatted(i))
                .thenCompose(answer -> expect(answer, 201, created)
                        .thenCompose(ok -> client.exchange(HttpMethod.POST, pod + "/binding", "application/json",
                                BINDING.formatted(i, node))))
                .thenCompose(answer -> expect(answer, 201, null)
                        .thenCompose(ok -> client.exchange(HttpMethod.POST, "/api/v1/namespaces/" + NAMESPACE + "/events",
                                "application/json", EVENT.formatted(i, node))))
                .thenCompose(answer -> expect(answer, 201, event)
                        .thenCompose(ok -> client.exchange(HttpMethod.PATCH, pod + "/status", "application/merge-patch+json",
                                RUNNING.formatted(i / 254 % 256, i % 254 + 1, i))))
                .thenCompose(answer -> expect(answer, 200, running))
                .exceptionally(error -> false);
    }

    /** Fails the chain unless the answer has the status; keeps the first such body in {@code sample}. */
    private static CompletableFuture<Boolean> expect(BenchClient.Response answer, int status,
                                                     AtomicReference<byte[]> sample) {
        if (answer.status() != status) {
            return CompletableFuture.failedFuture(new IllegalStateException("HTTP " + answer.status() + ": " + answer.body()));
        }
        if (sample != null) {
            sample.compareAndSet(null, answer.body().getBytes());
        }
        return CompletableFuture.completedFuture(true);
    }

    /**
     * The same four writes as etcd receives them from the API server: a put if absent, two puts guarded by the
     * pod's last revision, the event's put if absent; with one watch on the keys, as the API server's watch cache holds.
     */
    private void straightToEtcd(String url, int pods) throws Exception {
        String prefix = "/timon-sched-floor/" + Long.toString(System.nanoTime(), 36) + "/";
        try (EtcdStore etcd = EtcdStore.connect(url);
             var watch = etcd.watchPrefix(prefix, etcd.currentRevision().get() + 1, response -> { }, error -> { })) {
            long cpu = processCpuNanos();
            PacedLoad.Run run = PacedLoad.run(pods, PODS_IN_FLIGHT, 0, i -> {
                String pod = prefix + "pods/p-" + i;
                String podEvent = prefix + "events/p-" + i;
                return etcd.commit(List.of(Precondition.absent(pod)), Map.of(pod, created.get()), List.of())
                        .thenCompose(revision -> etcd.commit(List.of(new Precondition(pod, revision.orElseThrow())),
                                Map.of(pod, created.get()), List.of()))
                        .thenCompose(revision -> etcd.commit(List.of(Precondition.absent(podEvent)),
                                        Map.of(podEvent, event.get()), List.of())
                                .thenCompose(ignored -> etcd.commit(List.of(new Precondition(pod, revision.orElseThrow())),
                                        Map.of(pod, running.get()), List.of())))
                        .thenApply(revision -> revision.isPresent());
            });
            print("etcd alone", run, processCpuNanos() - cpu);
            PacedLoad.run(pods, PODS_IN_FLIGHT, 0, i -> etcd.commit(List.of(), Map.of(),
                    List.of(prefix + "pods/p-" + i, prefix + "events/p-" + i)).thenApply(revision -> true));
        }
    }

    private static void print(String through, PacedLoad.Run run, long clientCpuNanos) {
        int pods = run.latencies().length;
        double seconds = run.nanos() / 1e9;
        System.out.printf("%s: %d pods taken from creation to Running (4 writes each, %d in flight) in %.1f s: %.0f pods/s;"
                        + " machine CPU %.2f ms per pod, of which this client %.2f ms%s%n", through, pods, PODS_IN_FLIGHT,
                seconds, pods / seconds, (double) run.machine().busyMs() / pods, clientCpuNanos / 1e6 / pods,
                run.failures() > 0 ? " (" + run.failures() + " pods failed)" : "");
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
