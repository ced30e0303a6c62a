package dev.timon.bench;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a number of asynchronous calls with at most {@code concurrency} in flight and reports their latencies:
 * back to back when the rate is 0, else call i starts at i / rate seconds (or when a slot frees up) and its latency
 * counts from that scheduled time, so a slow answer that delays the next call is charged to it too.
 */
final class PacedLoad {

    /** Starts call number i; completes with whether it succeeded. */
    interface Call {
        CompletableFuture<Boolean> start(int i);
    }

    /** Sorted latencies of one run, its wall time and how many calls failed. */
    record Run(long[] latencies, long nanos, int failures, int concurrency, int rate, Figures.MachineCpu machine) {
        void print(String what) {
            String load = rate > 0 ? "paced at " + rate + " req/s" : "saturated";
            System.out.printf("%s x%d, %d clients, %s: p50 %.2f ms, p99 %.2f ms (%.0f req/s; machine %s)%n", what,
                    latencies.length, concurrency, load, latencies[latencies.length / 2] / 1e6,
                    latencies[(int) (latencies.length * 0.99)] / 1e6, latencies.length / (nanos / 1e9), machine);
            if (failures > 0) {
                System.out.println("  (" + failures + " calls failed)");
            }
        }
    }

    private static final int CALL_TIMEOUT_SECONDS = 30;

    private PacedLoad() {
    }

    static Run run(int total, int concurrency, int rate, Call call) throws Exception {
        long[] latencies = new long[total];
        Semaphore slots = new Semaphore(concurrency);
        CountDownLatch done = new CountDownLatch(total);
        AtomicInteger failures = new AtomicInteger();
        Figures.MachineCpu machine = Figures.MachineCpu.start();
        long begin = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long scheduled = rate > 0 ? begin + (long) (i * 1e9 / rate) : 0;
            if (rate > 0) {
                long wait = scheduled - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            slots.acquire();
            int index = i;
            long start = rate > 0 ? scheduled : System.nanoTime();
            // A call never answered counts as failed after CALL_TIMEOUT_SECONDS instead of holding the run for ever:
            // once in ~200,000 calls the HTTP/2 client lost a response the server had sent (its metrics counted it).
            call.start(i).orTimeout(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((ok, error) -> {
                latencies[index] = System.nanoTime() - start;
                if (error != null || !ok) {
                    failures.incrementAndGet();
                }
                slots.release();
                done.countDown();
            });
        }
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("calls did not finish in 10 minutes");
        }
        long nanos = System.nanoTime() - begin;
        Arrays.sort(latencies);
        return new Run(latencies, nanos, failures.get(), concurrency, rate, machine.since());
    }
}
