package dev.timon.bench;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API server benchmark: latency of single-object GET and CREATE at 50 concurrent clients, the time to
 * LIST 10,000 pods, and the time for one write to reach 1,000 concurrent watchers. Runs against any
 * kubeconfig, so the same load can be pointed at another Kubernetes API server. Every loop is bounded.
 */
public final class ApiServerBench {

    private static final int CONCURRENCY = 50;
    /** A namespace of its own per run: the previous run's may still be terminating. */
    private static final String NAMESPACE = "timon-bench-" + Long.toString(System.currentTimeMillis(), 36);
    private static final int WATCHERS_PER_CONNECTION = 200;

    private final Path kubeconfig;
    private final BenchClient client;

    private ApiServerBench(Path kubeconfig) throws Exception {
        this.kubeconfig = kubeconfig;
        this.client = new BenchClient(kubeconfig);
    }

    public static void main(String[] args) throws Exception {
        Path kubeconfig = Path.of(args.length > 0 ? args[0] : ".timon/kubeconfig");
        int objects = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int pods = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int watchers = args.length > 3 ? Integer.parseInt(args[3]) : 1_000;
        ApiServerBench bench = new ApiServerBench(kubeconfig);
        bench.client.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + NAMESPACE + "\"}}").get();
        try {
            bench.createAndGet(objects);
            bench.listPods(pods);
            bench.watchFanOut(watchers);
        } finally {
            bench.cleanUp();
        }
    }

    /** CREATE then GET of ConfigMaps, each by 50 clients with one request in flight each. */
    private void createAndGet(int count) throws Exception {
        String run = Long.toString(System.nanoTime(), 36);
        long[] create = timed(count, i -> client.post("/api/v1/namespaces/" + NAMESPACE + "/configmaps",
                "{\"metadata\":{\"name\":\"cm-" + run + "-" + i + "\",\"labels\":{\"bench\":\"" + run + "\"}},"
                        + "\"data\":{\"key\":\"value-" + i + "\"}}"), 201);
        print("CREATE configmap", create);
        long[] get = timed(count * 2, i -> client.get("/api/v1/namespaces/" + NAMESPACE + "/configmaps/cm-" + run + "-" + (i % count)), 200);
        print("GET configmap", get);
    }

    private interface Call {
        CompletableFuture<HttpResponse<String>> start(int i);
    }

    /** Runs {@code total} calls with 50 in flight; returns each call's latency in nanoseconds, sorted. */
    private static long[] timed(int total, Call call, int expectedStatus) throws Exception {
        long[] latencies = new long[total];
        Semaphore slots = new Semaphore(CONCURRENCY);
        CountDownLatch done = new CountDownLatch(total);
        AtomicInteger failures = new AtomicInteger();
        // Warm-up: connections, TLS and JIT, not measured.
        for (int i = 0; i < Math.min(200, total); i++) {
            call.start(i).get();
        }
        for (int i = 0; i < total; i++) {
            slots.acquire();
            int index = i;
            long start = System.nanoTime();
            call.start(i).whenComplete((response, error) -> {
                latencies[index] = System.nanoTime() - start;
                if (error != null || response.statusCode() != expectedStatus && response.statusCode() != 409) {
                    failures.incrementAndGet();
                }
                slots.release();
                done.countDown();
            });
        }
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("calls did not finish in 10 minutes");
        }
        if (failures.get() > 0) {
            System.out.println("  (" + failures.get() + " calls failed)");
        }
        Arrays.sort(latencies);
        return latencies;
    }

    private void listPods(int count) throws Exception {
        // A scheduler no one runs: the pods stay Pending, so listing them measures the API server alone and no
        // node starts 10,000 containers.
        String pod = "{\"metadata\":{\"name\":\"p-%d\",\"labels\":{\"app\":\"bench\"}},\"spec\":{\"schedulerName\":"
                + "\"timon-bench-unscheduled\",\"containers\":[{\"name\":\"main\",\"image\":\"busybox:1.36\","
                + "\"command\":[\"sleep\",\"3600\"]}]}}";
        timed(count, i -> client.post("/api/v1/namespaces/" + NAMESPACE + "/pods", pod.formatted(i)), 201);
        long best = Long.MAX_VALUE;
        int items = 0;
        List<Long> runs = new ArrayList<>();
        for (int run = 0; run < 5; run++) {
            long start = System.nanoTime();
            HttpResponse<String> response = client.get("/api/v1/namespaces/" + NAMESPACE + "/pods").get();
            long took = System.nanoTime() - start;
            runs.add(took);
            best = Math.min(best, took);
            items = countOccurrences(response.body(), "\"kind\":\"Pod\"");
        }
        runs.sort(Long::compare);
        System.out.printf("LIST %d pods: median %.1f ms, best %.1f ms (%d items returned)%n",
                count, runs.get(runs.size() / 2) / 1e6, best / 1e6, items);
    }

    /** Opens the watchers, waits until each has its initial event, then times one write reaching all of them. */
    private void watchFanOut(int watchers) throws Exception {
        client.post("/api/v1/namespaces/" + NAMESPACE + "/configmaps", "{\"metadata\":{\"name\":\"fanout\"},\"data\":{\"v\":\"0\"}}").get();
        CountDownLatch ready = new CountDownLatch(watchers);
        CountDownLatch reached = new CountDownLatch(watchers);
        AtomicLong lastArrival = new AtomicLong();
        List<CompletableFuture<?>> streams = new ArrayList<>();
        // An HTTP/2 connection carries a bounded number of streams: spread the watchers over several clients.
        List<BenchClient> connections = new ArrayList<>();
        for (int i = 0; i < watchers; i++) {
            if (i % WATCHERS_PER_CONNECTION == 0) {
                connections.add(new BenchClient(kubeconfig));
            }
            BenchClient connection = connections.get(connections.size() - 1);
            HttpRequest request = connection.request("/api/v1/namespaces/" + NAMESPACE
                            + "/configmaps?watch=true&resourceVersion=0&timeoutSeconds=120&fieldSelector=metadata.name%3Dfanout")
                    .header("Accept", "application/json").GET().build();
            streams.add(connection.http().sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(
                    new WatchLines(ready, reached, lastArrival))));
        }
        if (!ready.await(120, TimeUnit.SECONDS)) {
            System.out.println("watch fan-out: only " + (watchers - ready.getCount()) + " watchers started");
            return;
        }
        Thread.sleep(1_000);
        long start = System.nanoTime();
        client.send(client.request("/api/v1/namespaces/" + NAMESPACE + "/configmaps/fanout")
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"data\":{\"v\":\"1\"}}")).build()).get();
        boolean all = reached.await(60, TimeUnit.SECONDS);
        System.out.printf("watch fan-out: one write reached %d of %d watchers in %.1f ms%n",
                watchers - reached.getCount(), watchers, (lastArrival.get() - start) / 1e6);
        if (!all) {
            System.out.println("  (not every watcher got the event within 60 s)");
        }
        streams.forEach(s -> s.cancel(true));
    }

    /** Counts a watcher's first event (the synthetic ADDED) and its first MODIFIED. */
    private static final class WatchLines implements java.util.concurrent.Flow.Subscriber<String> {
        private final CountDownLatch ready;
        private final CountDownLatch reached;
        private final AtomicLong lastArrival;
        private boolean started;
        private boolean modified;

        WatchLines(CountDownLatch ready, CountDownLatch reached, AtomicLong lastArrival) {
            this.ready = ready;
            this.reached = reached;
            this.lastArrival = lastArrival;
        }

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (!started && line.contains("\"ADDED\"")) {
                started = true;
                ready.countDown();
            } else if (!modified && line.contains("\"MODIFIED\"")) {
                modified = true;
                lastArrival.accumulateAndGet(System.nanoTime(), Math::max);
                reached.countDown();
            }
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }
    }

    private void cleanUp() throws Exception {
        client.delete("/api/v1/namespaces/" + NAMESPACE + "/pods?gracePeriodSeconds=0").get();
        client.delete("/api/v1/namespaces/" + NAMESPACE + "/configmaps").get();
        client.delete("/api/v1/namespaces/" + NAMESPACE).get();
    }

    private static void print(String what, long[] sorted) {
        System.out.printf("%s x%d at %d concurrent: p50 %.2f ms, p99 %.2f ms%n", what, sorted.length, CONCURRENCY,
                sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6);
    }

    private static int countOccurrences(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }
}
