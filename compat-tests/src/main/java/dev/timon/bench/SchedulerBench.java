package dev.timon.bench;

import dev.timon.client.KubeClients;
import dev.timon.controllers.PodConditions;
import dev.timon.node.hollow.HollowNodes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The scheduler benchmark: starts hollow nodes in this process, creates unassigned pods with bounded concurrency
 * and measures, through an informer, each pod's time from its create request to the moment it is seen bound, and the
 * throughput (pods bound per second from the first create to the last binding); then times a Deployment from
 * creation to fully Available. Cleans up its namespace and nodes. Every wait is bounded.
 */
public final class SchedulerBench {

    private static final String NAMESPACE = "timon-sched-bench";
    private static final String NODE_PREFIX = "bench-node-";
    private static final int CREATE_CONCURRENCY = 100;
    /** Pods are created over this many connections, as by that many client processes: one HTTP/2 connection is
     * served by one of the API server's event loops, so a single one would measure one core. */
    private static final int CREATE_CONNECTIONS = 10;
    private static final String POD = "{\"metadata\":{\"name\":\"p-%d\",\"labels\":{\"app\":\"bench-pods\"}},\"spec\":"
            + "{\"nodeSelector\":{\"type\":\"hollow\"},"
            + "\"containers\":[{\"name\":\"main\",\"image\":\"busybox:1.36\",\"command\":[\"sleep\",\"3600\"]}]}}";

    private final BenchClient http;
    private final List<BenchClient> creators = new ArrayList<>();
    private final KubernetesClient client;

    private SchedulerBench(Path kubeconfig, KubernetesClient client) throws Exception {
        this.http = new BenchClient(kubeconfig);
        for (int i = 0; i < CREATE_CONNECTIONS; i++) {
            creators.add(new BenchClient(kubeconfig));
        }
        this.client = client;
    }

    public static void main(String[] args) throws Exception {
        Path kubeconfig = Path.of(args.length > 0 ? args[0] : ".timon/kubeconfig");
        int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int pods = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int replicas = args.length > 3 ? Integer.parseInt(args[3]) : 1_000;
        System.out.println(Figures.machineSpeed());
        try (KubernetesClient client = KubeClients.fromKubeconfig(kubeconfig);
             HollowNodes hollow = new HollowNodes(client, NODE_PREFIX, nodes, 32)) {
            SchedulerBench bench = new SchedulerBench(kubeconfig, client);
            long start = System.nanoTime();
            hollow.start();
            System.out.printf("%d hollow nodes registered in %.1f s%n", nodes, (System.nanoTime() - start) / 1e9);
            bench.http.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + NAMESPACE + "\"}}").get();
            try {
                bench.schedulePods(pods);
                bench.deployment(replicas);
            } finally {
                bench.cleanUp();
            }
        }
        System.exit(0); // the fabric8 client's pools are not all daemon threads
    }

    private void schedulePods(int count) throws Exception {
        long[] created = new long[count];
        long[] bound = new long[count];
        CountDownLatch allBound = new CountDownLatch(count);
        boolean[] running = new boolean[count];
        CountDownLatch allRunning = new CountDownLatch(count);
        SharedIndexInformer<Pod> observed = follow(client.pods().inNamespace(NAMESPACE).withLabel("app", "bench-pods"), pod -> {
            if (pod.getSpec().getNodeName() == null) {
                return;
            }
            int i = Integer.parseInt(pod.getMetadata().getName().substring(2));
            if (bound[i] == 0) {
                bound[i] = System.nanoTime();
                allBound.countDown();
            }
            if (!running[i] && pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())) {
                running[i] = true;
                allRunning.countDown();
            }
        });
        Semaphore slots = new Semaphore(CREATE_CONCURRENCY);
        AtomicInteger failures = new AtomicInteger();
        long first = System.nanoTime();
        for (int i = 0; i < count; i++) {
            slots.acquire();
            created[i] = System.nanoTime();
            creators.get(i % CREATE_CONNECTIONS).post("/api/v1/namespaces/" + NAMESPACE + "/pods", POD.formatted(i)).whenComplete((status, error) -> {
                if (error != null || status != 201) {
                    failures.incrementAndGet();
                }
                slots.release();
            });
        }
        double createSeconds = (System.nanoTime() - first) / 1e9;
        boolean done = allBound.await(10, TimeUnit.MINUTES);
        // The nodes finish starting these pods before the Deployment is timed, so it does not queue behind them.
        allRunning.await(5, TimeUnit.MINUTES);
        double runningSeconds = (System.nanoTime() - first) / 1e9;
        observed.close();
        long last = Arrays.stream(bound).max().orElse(first);
        long[] latencies = new long[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (bound[i] != 0) {
                latencies[n++] = bound[i] - created[i];
            }
        }
        Arrays.sort(latencies, 0, n);
        System.out.printf("created %d pods in %.1f s (%d failed)%n", count, createSeconds, failures.get());
        System.out.printf("scheduling: %d of %d pods bound in %.1f s: %.0f pods/s; create-to-bound p50 %.0f ms, p99 %.0f ms%n",
                n, count, (last - first) / 1e9, n / ((last - first) / 1e9),
                n == 0 ? 0 : latencies[n / 2] / 1e6, n == 0 ? 0 : latencies[(int) (n * 0.99)] / 1e6);
        if (!done) {
            System.out.println("  (not every pod was bound within 10 minutes)");
        }
        System.out.printf("  %d of %d pods Running %.1f s after the first create%n", count - allRunning.getCount(),
                count, runningSeconds);
    }

    private void deployment(int replicas) throws Exception {
        Deployment deployment = new DeploymentBuilder()
                .withNewMetadata().withName("bench").withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", "bench-deploy").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "bench-deploy").endMetadata()
                // Hollow nodes only: a real node in the same cluster must not start the benchmark's containers.
                .withNewSpec().withNodeSelector(Map.of("type", "hollow"))
                .addNewContainer().withName("main").withImage("nginx:1.25").endContainer().endSpec()
                .endTemplate().endSpec().build();
        CountDownLatch available = new CountDownLatch(1);
        AtomicInteger seen = new AtomicInteger();
        long start = System.nanoTime();
        SharedIndexInformer<Deployment> status = follow(client.apps().deployments().inNamespace(NAMESPACE).withName("bench"), d -> {
            int ready = d.getStatus() == null ? 0 : Objects.requireNonNullElse(d.getStatus().getAvailableReplicas(), 0);
            seen.set(ready);
            if (ready >= replicas) {
                available.countDown();
            }
        });
        // Where the time goes: when each pod was first seen, seen bound and seen Ready, relative to the create.
        Map<String, long[]> stages = new ConcurrentHashMap<>();
        SharedIndexInformer<Pod> pods = follow(client.pods().inNamespace(NAMESPACE).withLabel("app", "bench-deploy"), pod -> {
            long[] at = stages.computeIfAbsent(pod.getMetadata().getName(), n -> new long[3]);
            long now = System.nanoTime() - start;
            mark(at, 0, now, true);
            mark(at, 1, now, pod.getSpec().getNodeName() != null);
            mark(at, 2, now, PodConditions.isReady(pod));
        });
        client.apps().deployments().resource(deployment).create();
        boolean done = available.await(5, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        status.close();
        pods.close();
        System.out.printf("deployment: %d of %d replicas Available %.1f s after creation%s%n", seen.get(), replicas,
                seconds, done ? "" : " (gave up at the 5-minute bound)");
        if (!done) {
            describeStuckDeployment();
        }
        // Counted by this process's own informer, which may lag the server (the Deployment's status can report all
        // replicas Available before this informer has seen every pod Ready): hence "seen".
        String[] names = {"created", "bound", "Ready"};
        for (int stage = 0; stage < names.length; stage++) {
            int i = stage;
            long[] times = stages.values().stream().mapToLong(at -> at[i]).filter(t -> t > 0).sorted().toArray();
            if (times.length > 0) {
                System.out.printf("  pods seen %-7s: half by %.1f s, %d by %.1f s%n", names[stage],
                        times[times.length / 2] / 1e9, times.length, times[times.length - 1] / 1e9);
            }
        }
    }

    /** What the server holds when the Deployment did not become Available: listed afresh, not from the watches. */
    private void describeStuckDeployment() {
        Deployment d = client.apps().deployments().inNamespace(NAMESPACE).withName("bench").get();
        System.out.println("  deployment status: " + (d == null ? "gone" : d.getStatus()));
        client.apps().replicaSets().inNamespace(NAMESPACE).list().getItems().forEach(rs -> System.out.printf(
                "  replicaset %s: spec %d, status %s%n", rs.getMetadata().getName(), rs.getSpec().getReplicas(), rs.getStatus()));
        Map<String, Long> pods = client.pods().inNamespace(NAMESPACE).withLabel("app", "bench-deploy").list().getItems()
                .stream().collect(Collectors.groupingBy(pod -> (pod.getSpec().getNodeName() == null
                        ? "unbound" : "bound") + "/" + (pod.getStatus() == null ? null : pod.getStatus().getPhase())
                        + (PodConditions.isReady(pod) ? "/Ready" : "/not Ready")
                        + (pod.getMetadata().getDeletionTimestamp() == null ? "" : "/deleting"),
                        Collectors.counting()));
        System.out.println("  pods by binding, phase and readiness: " + pods);
    }

    /**
     * Passes every version of the selected objects to {@code seen}. An informer, not a plain watch: the server cuts
     * off a reader that falls behind, and a plain watch whose resume is then answered 410 (its revision has left
     * the server's history) ends for good, where an informer lists again.
     */
    private static <T> SharedIndexInformer<T> follow(Informable<T> source, Consumer<T> seen) {
        return source.inform(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T object) {
                seen.accept(object);
            }

            @Override
            public void onUpdate(T oldObject, T object) {
                seen.accept(object);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
            }
        });
    }

    private static void mark(long[] at, int stage, long now, boolean reached) {
        if (reached && at[stage] == 0) {
            at[stage] = now;
        }
    }

    /** Deletes the namespace and the bench's nodes, waiting (bounded) for the namespace to go. */
    private void cleanUp() throws Exception {
        http.delete("/api/v1/namespaces/" + NAMESPACE).get();
        client.nodes().withLabel("type", "hollow").list().getItems().stream()
                .filter(node -> node.getMetadata().getName().startsWith(NODE_PREFIX))
                .forEach(node -> client.nodes().withName(node.getMetadata().getName()).delete());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline && client.namespaces().withName(NAMESPACE).get() != null) {
            Thread.sleep(500);
        }
    }
}
