package dev.timon.bench;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    private static final long SETTLE_MILLIS = 2_000;

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
        int rate = args.length > 4 ? Integer.parseInt(args[4]) : 500;
        System.out.println(Figures.machineSpeed());
        ApiServerBench bench = new ApiServerBench(kubeconfig);
        bench.client.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + NAMESPACE + "\"}}").get();
        try {
            bench.createAndGet(objects, rate);
            bench.listPods(pods);
            bench.watchFanOut(watchers);
        } finally {
            bench.cleanUp();
        }
    }

    /**
     * CREATE then GET of ConfigMaps by 50 clients, each on its own connection as 50 client processes would be.
     * Twice per verb: paced (the clients together offer {@code rate} requests/s; latency counts from each
     * request's scheduled start, so a slow answer that delays the next request is charged to it too), then
     * saturated (each client sends its next request the moment the previous one answers: the latency is then
     * concurrency / throughput, and the throughput is printed with it).
     */
    private void createAndGet(int count, int rate) throws Exception {
        List<BenchClient> clients = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY; i++) {
            clients.add(new BenchClient(kubeconfig));
        }
        String run = Long.toString(System.nanoTime(), 36);
        Call create = i -> clients.get(i % CONCURRENCY).post("/api/v1/namespaces/" + NAMESPACE + "/configmaps",
                "{\"metadata\":{\"name\":\"cm-" + run + "-" + i + "\",\"labels\":{\"bench\":\"" + run + "\"}},"
                        + "\"data\":{\"key\":\"value-" + i + "\"}}");
        Call get = i -> clients.get(i % CONCURRENCY).get("/api/v1/namespaces/" + NAMESPACE + "/configmaps/cm-" + run
                + "-" + i);
        Call delete = i -> clients.get(i % CONCURRENCY).delete("/api/v1/namespaces/" + NAMESPACE + "/configmaps/cm-" + run
                + "-" + i);
        warmUp(create, get, delete, 3 * count);
        measured(count, create, 201, rate).print("CREATE configmap");
        measured(count, get, 200, rate).print("GET configmap");
        // The saturated runs use objects of their own: the creates above already hold indexes 0..count-1.
        Call moreCreates = i -> create.start(count + i);
        measured(count, moreCreates, 201, 0).print("CREATE configmap");
        measured(count * 2, i -> get.start(i % count), 200, 0).print("GET configmap");
    }

    /**
     * A measured run, after a pause that lets the server finish what the previous run left it (fanning the
     * warm-up's last 4,000 deletes out to watchers and informers): without it the paced CREATE's first second
     * measured p99 20-45 ms in 4 of 5 runs, while most of its other seconds stayed at 5-15 ms.
     */
    private static PacedLoad.Run measured(int total, Call call, int expectedStatus, int rate) throws Exception {
        Thread.sleep(SETTLE_MILLIS);
        return timed(total, call, expectedStatus, rate);
    }

    /**
     * Not measured: connections, TLS and the server's JIT. Rounds of saturated creates, gets and deletes (the deletes
     * keep the store from growing by the warm-up's objects) until four rounds in a row set no new best throughput
     * (by more than 5%): at least 6 rounds, at most 24. A server just started climbs for about 40 s, from 500 to
     * 2,300 req/s, with plateaus of two or three rounds on the way; the old rule (two rounds within 10%) stopped on
     * such a plateau and the paced run then measured the JIT (p99 88-124 ms, machine 95% busy). Settled rounds still
     * vary by about 12%, hence a rule of no new record rather than of equal rounds. The warm-up's objects use
     * indexes from {@code firstIndex}, past every measured run's.
     */
    private static void warmUp(Call create, Call get, Call delete, int firstIndex) throws Exception {
        int round = 4_000;
        Settling throughput = new Settling(6, 24, 4, 1);
        while (throughput.more()) {
            int base = firstIndex + throughput.rounds() * round;
            long start = System.nanoTime();
            timed(round, i -> create.start(base + i), 201, 0);
            timed(round, i -> get.start(base + i), 200, 0);
            timed(round, i -> delete.start(base + i), 200, 0);
            throughput.record(3 * round / ((System.nanoTime() - start) / 1e9));
        }
        System.out.printf("warm-up: %d rounds of %d creates, gets and deletes, best %.0f req/s%s%n", throughput.rounds(),
                round, throughput.best(), throughput.settled() ? "" : " (throughput still rising)");
    }

    /**
     * Unmeasured rounds until {@code quiet} rounds in a row bring no new best by more than 5%: at least {@code min}
     * rounds, at most {@code max}. A best is the highest value ({@code direction} 1) or the lowest (-1).
     */
    private static final class Settling {
        private final int min;
        private final int max;
        private final int quiet;
        private final int direction;
        private double best = Double.NaN;
        private int rounds;
        private int sinceBest;

        Settling(int min, int max, int quiet, int direction) {
            this.min = min;
            this.max = max;
            this.quiet = quiet;
            this.direction = direction;
        }

        boolean more() {
            return rounds < max && (rounds < min || sinceBest < quiet);
        }

        void record(double value) {
            rounds++;
            boolean newBest = Double.isNaN(best) || direction * (value - best) > 0.05 * best;
            sinceBest = newBest ? 0 : sinceBest + 1;
            if (Double.isNaN(best) || direction * (value - best) > 0) {
                best = value;
            }
        }

        boolean settled() {
            return sinceBest >= quiet;
        }

        int rounds() {
            return rounds;
        }

        double best() {
            return best;
        }
    }

    private interface Call {
        CompletableFuture<Integer> start(int i);
    }

    /** A run of {@code total} calls by 50 clients; a call succeeds with {@code expectedStatus} (or 409: taken). */
    private static PacedLoad.Run timed(int total, Call call, int expectedStatus, int rate) throws Exception {
        return PacedLoad.run(total, CONCURRENCY, rate, i -> call.start(i)
                .thenApply(status -> status == expectedStatus || status == 409));
    }

    private void listPods(int count) throws Exception {
        // A scheduler no one runs: the pods stay Pending, so listing them measures the API server alone and no
        // node starts 10,000 containers.
        String pod = "{\"metadata\":{\"name\":\"p-%d\",\"labels\":{\"app\":\"bench\"}},\"spec\":{\"schedulerName\":"
                + "\"timon-bench-unscheduled\",\"containers\":[{\"name\":\"main\",\"image\":\"busybox:1.36\","
                + "\"command\":[\"sleep\",\"3600\"]}]}}";
        timed(count, i -> client.post("/api/v1/namespaces/" + NAMESPACE + "/pods", pod.formatted(i)), 201, 0);
        // Unmeasured lists first, until three in a row set no new best (by more than 5%; at most 20): a single one
        // left the list path compiling through the measured runs of a just-started server (median 301-419 ms there,
        // 60-150 ms once warm).
        Settling listTime = new Settling(3, 20, 3, -1);
        while (listTime.more()) {
            listTime.record(listOnce()[0]);
        }
        List<Long> runs = new ArrayList<>();
        long items = 0;
        for (int run = 0; run < 5; run++) {
            long[] list = listOnce();
            runs.add(list[0]);
            items = list[1];
        }
        runs.sort(Long::compare);
        System.out.printf("LIST %d pods: median %.1f ms, best %.1f ms (%d items returned)%n",
                count, runs.get(runs.size() / 2) / 1e6, runs.get(0) / 1e6, items);
    }

    /**
     * One LIST of the benchmark's pods: its nanoseconds and the items returned. The body (16 MB) is counted as it
     * streams in: decoding it into one String cost this client 100-300 ms of its own, more than the server took.
     */
    private long[] listOnce() throws Exception {
        Occurrences pods = new Occurrences("\"kind\":\"Pod\"".getBytes(StandardCharsets.UTF_8));
        long start = System.nanoTime();
        client.stream("/api/v1/namespaces/" + NAMESPACE + "/pods", chunk -> pods.feed(chunk.getBytes())).get();
        return new long[] {System.nanoTime() - start, pods.count()};
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
        client.patch("/api/v1/namespaces/" + NAMESPACE + "/configmaps/fanout", "application/merge-patch+json",
                "{\"data\":{\"v\":\"1\"}}").get();
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
        // Gone before returning, so that a run started right after is not measured against this one's clean-up.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline && client.get("/api/v1/namespaces/" + NAMESPACE).get() != 404) {
            Thread.sleep(500);
        }
    }

    /** Counts occurrences of a byte string in a body fed chunk by chunk (Knuth-Morris-Pratt: a match may span two). */
    private static final class Occurrences {
        private final byte[] needle;
        private final int[] fallback; // longest proper prefix of needle[0..i] that is also its suffix
        private int matched;
        private int count;

        Occurrences(byte[] needle) {
            this.needle = needle;
            this.fallback = new int[needle.length];
            for (int i = 1, k = 0; i < needle.length; i++) {
                while (k > 0 && needle[i] != needle[k]) {
                    k = fallback[k - 1];
                }
                fallback[i] = needle[i] == needle[k] ? ++k : k;
            }
        }

        void feed(byte[] chunk) {
            for (byte b : chunk) {
                while (matched > 0 && b != needle[matched]) {
                    matched = fallback[matched - 1];
                }
                if (b == needle[matched] && ++matched == needle.length) {
                    count++;
                    matched = fallback[matched - 1];
                }
            }
        }

        int count() {
            return count;
        }
    }
}
