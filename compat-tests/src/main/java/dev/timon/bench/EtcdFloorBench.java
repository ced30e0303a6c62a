package dev.timon.bench;

import dev.timon.storage.EtcdStore;
import dev.timon.storage.Precondition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The storage floor under the API benchmark's CREATE: the same load (5,000 creates by 50 clients, paced at 500/s,
 * then saturated) written straight to etcd as the API server writes a new object (a transaction: put the key if it
 * is absent), with no API server in the way. No API server on this etcd and disk can answer a CREATE faster than
 * this. Works under a key prefix of its own and deletes it after. Usage: bench/etcd-floor.sh [etcd-url] [objects] [rate]
 */
public final class EtcdFloorBench {

    private static final int CONCURRENCY = 50;
    private static final int WARM_UP = 2_000;
    /** A ConfigMap as the API server stores one (the benchmark's: one key, labels, managedFields). */
    private static final String VALUE = "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"cm-%1$d\","
            + "\"namespace\":\"timon-bench\",\"uid\":\"00000000-0000-0000-0000-%1$012d\",\"creationTimestamp\":"
            + "\"2026-01-01T00:00:00Z\",\"labels\":{\"bench\":\"floor\"},\"managedFields\":[{\"manager\":\"java\","
            + "\"operation\":\"Update\",\"apiVersion\":\"v1\",\"time\":\"2026-01-01T00:00:00Z\",\"fieldsType\":"
            + "\"FieldsV1\",\"fieldsV1\":{\"f:data\":{\".\":{},\"f:key\":{}},\"f:metadata\":{\"f:labels\":{\".\":{},"
            + "\"f:bench\":{}}}}}]},\"data\":{\"key\":\"value-%1$d\"}}";

    private EtcdFloorBench() {
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "http://127.0.0.1:2479";
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        String prefix = "/timon-bench-floor/" + Long.toString(System.nanoTime(), 36) + "/";
        // With one watch on the written keys, as the API server's watch cache always holds: etcd sends every write
        // to it (p99 7-9 ms with it, 4-7 ms without, on a fresh etcd).
        try (EtcdStore etcd = EtcdStore.connect(url);
             var watch = etcd.watchPrefix(prefix, etcd.currentRevision().get() + 1, response -> { }, error -> { })) {
            PacedLoad.Call create = i -> etcd.commit(List.of(Precondition.absent(prefix + i)),
                    Map.of(prefix + i, VALUE.formatted(i).getBytes(StandardCharsets.UTF_8)), List.of())
                    .thenApply(revision -> revision.isPresent());
            // Keys 0..count-1 paced, count..2*count-1 saturated, then the warm-up's: the clean-up deletes exactly those.
            try {
                PacedLoad.run(WARM_UP, CONCURRENCY, 0, i -> create.start(2 * count + i)); // not measured
                PacedLoad.run(count, CONCURRENCY, rate, create).print("etcd create");
                PacedLoad.run(count, CONCURRENCY, 0, i -> create.start(count + i)).print("etcd create");
            } finally {
                PacedLoad.run(2 * count + WARM_UP, CONCURRENCY, 0, i -> etcd.commit(List.of(), Map.of(), List.of(prefix + i))
                        .thenApply(revision -> true));
            }
        }
    }
}
