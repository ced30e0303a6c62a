package dev.timon.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * What the benchmarks print besides their own figures: percentiles, the whole machine's CPU while measuring, and how
 * fast the machine was.
 */
final class Figures {

    private Figures() {
    }

    /** The nearest-rank percentile {@code p} of {@code values} (copied and sorted here); -1 when there are none. */
    static long percentile(Collection<Long> values, int p) {
        List<Long> sorted;
        synchronized (values) {
            sorted = new ArrayList<>(values);
        }
        if (sorted.isEmpty()) {
            return -1;
        }
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /**
     * How fast this machine runs a fixed single-threaded workload right now (SHA-256 over 64 MB): the cloud host
     * under it does not always give the same speed. Printed first by the benchmarks, so runs whose figures differ
     * can be told apart by the machine they ran on; on 2026-11-23 the same host measured 5-10x slower for an hour
     * after a few heavy runs.
     */
    static String machineSpeed() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] block = new byte[1 << 20];
            long start = System.nanoTime();
            for (int i = 0; i < 64; i++) {
                sha.update(block);
            }
            sha.digest();
            return String.format("machine speed: SHA-256 of 64 MB in %.0f ms on one core", (System.nanoTime() - start) / 1e6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The machine's busy and idle CPU time since {@link #start()}: the benchmark shares the machine it measures. */
    record MachineCpu(long busyMs, long idleMs) {

        static MachineCpu start() {
            return read();
        }

        MachineCpu since() {
            if (busyMs < 0) {
                return this; // no /proc/stat: unknown stays unknown
            }
            MachineCpu now = read();
            return new MachineCpu(now.busyMs - busyMs, now.idleMs - idleMs);
        }

        @Override
        public String toString() {
            return busyMs < 0 ? "unknown (no /proc/stat)" : busyMs + " ms busy, " + idleMs + " ms idle";
        }

        /** The first line of Linux's /proc/stat, in USER_HZ (100 per second); guest time is already in user. */
        private static MachineCpu read() {
            try {
                String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long busy = 0;
                long idle = 0;
                for (int i = 1; i <= 8 && i < fields.length; i++) {
                    long ticks = Long.parseLong(fields[i]);
                    if (i == 4 || i == 5) {
                        idle += ticks; // idle and iowait
                    } else {
                        busy += ticks;
                    }
                }
                return new MachineCpu(busy * 10, idle * 10);
            } catch (Exception e) {
                return new MachineCpu(Long.MIN_VALUE / 2, 0);
            }
        }
    }
}
