package dev.timon.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Pod startup latency: creates N pods at once on a node (image already present) and prints p50/p99 of
 * creation -> all containers running, observed through a watch. Usage:
 * bench/pod-startup.sh <kubeconfig> <node> [count] [image]
 */
public final class PodStartupBench {
    public static void main(String[] args) throws Exception {
        var config = io.fabric8.kubernetes.client.Config.fromKubeconfig(Files.readString(Path.of(args[0])));
        config.setOnlyHttpWatches(true);
        // Over HTTP/2 the JDK client stalls requests that share a connection with an open watch here, so the watch
        // has a client of its own. Creates share one HTTP/2 connection, as a controller's would, instead of opening
        // (and TLS-handshaking) thirty connections at the moment being measured.
        var writeConfig = io.fabric8.kubernetes.client.Config.fromKubeconfig(Files.readString(Path.of(args[0])));
        config.setHttp2Disable(true);
        String node = args[1];
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        String image = args.length > 3 ? args[3] : "busybox:1.36";
        String run = "bench-" + Long.toHexString(System.currentTimeMillis());
        try (var client = new KubernetesClientBuilder().withConfig(config).build();
             var writer = new KubernetesClientBuilder().withConfig(writeConfig).build()) {
            var pods = client.pods().inNamespace("default");
            var writes = writer.pods().inNamespace("default");
            var created = new ConcurrentHashMap<String, Long>();
            var latencies = Collections.synchronizedList(new ArrayList<Long>());
            var done = new CountDownLatch(count);
            var seen = ConcurrentHashMap.<String>newKeySet();
            var watch = pods.withLabel("bench", run).watch(new Watcher<Pod>() {
                @Override
                public void eventReceived(Action action, Pod pod) {
                    var statuses = pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
                    boolean running = statuses != null && !statuses.isEmpty()
                            && statuses.stream().allMatch(s -> s.getState() != null && s.getState().getRunning() != null);
                    Long start = created.get(pod.getMetadata().getName());
                    if (running && start != null && seen.add(pod.getMetadata().getName())) {
                        latencies.add((System.nanoTime() - start) / 1_000_000);
                        done.countDown();
                    }
                }

                @Override
                public void onClose(WatcherException cause) {
                }
            });
            // Connections, TLS and the model classes of both reads and writes warmed up first (a dry-run create stores
            // nothing), so the figure is the cluster's, not this JVM's start.
            pods.list();
            writes.resource(pod(run + "-warmup", run, node, image)).dryRun().create();
            var acknowledged = Collections.synchronizedList(new ArrayList<Long>());
            var cpu = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpuAtStart = cpu.getProcessCpuTime();
            var machine = Figures.MachineCpu.start();
            long cpuUsed;
            var pool = Executors.newFixedThreadPool(count);
            boolean all;
            try {
                for (int i = 0; i < count; i++) {
                    String name = run + "-" + i;
                    var pod = pod(name, run, node, image);
                    pool.execute(() -> {
                        long start = System.nanoTime();
                        created.put(name, start);
                        writes.resource(pod).create();
                        acknowledged.add((System.nanoTime() - start) / 1_000_000);
                    });
                }
                all = done.await(120, TimeUnit.SECONDS);
                cpuUsed = cpu.getProcessCpuTime() - cpuAtStart;
                machine = machine.since();
            } finally {
                watch.close();
                pool.shutdownNow();
                pods.withLabel("bench", run).withGracePeriod(0).delete();
            }
            System.out.printf("create acknowledged: p50 %d ms, p99 %d ms%n", Figures.percentile(acknowledged, 50), Figures.percentile(acknowledged, 99));
            System.out.printf("this client's own CPU while measuring: %d ms%n", cpuUsed / 1_000_000);
            System.out.println("the machine's CPU while measuring: " + machine);
            System.out.printf("pods: %d/%d running; startup latency p50 %d ms, p99 %d ms, max %d ms%n", latencies.size(), count,
                    Figures.percentile(latencies, 50), Figures.percentile(latencies, 99), Figures.percentile(latencies, 100));
            // Bounded wait for the node to tear the pods down, so a following run does not share the node with them.
            boolean gone = pods.withLabel("bench", run).informOnCondition(List::isEmpty).completeOnTimeout(null, 60, TimeUnit.SECONDS)
                    .join() != null;
            if (!gone) {
                System.err.println("pods of " + run + " still present after 60 s");
            }
            System.exit(all && gone ? 0 : 1);
        }
    }

    private static Pod pod(String name, String run, String node, String image) {
        return new PodBuilder().withNewMetadata().withName(name).withLabels(Map.of("bench", run)).endMetadata()
                .withNewSpec().withNodeName(node).withTerminationGracePeriodSeconds(0L)
                .addNewContainer().withName("main").withImage(image).withImagePullPolicy("IfNotPresent")
                .withCommand("sleep", "3600").endContainer().endSpec().build();
    }
}
