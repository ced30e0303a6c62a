package dev.timon.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Defragmentation against a real etcd: a file grown by deleted, compacted history shrinks; a dense one is left; a
 * full one takes writes again once space is freed and its alarm cleared.
 */
class EtcdDefragmentTest {

    @Test
    void aSparseDatabaseFileShrinksAndADenseOneIsLeftAlone() throws Exception {
        try (TestEtcd etcd = TestEtcd.start(); EtcdStore store = etcd.connect()) {
            // A dense file (nothing deleted) is not worth a defragmentation, however small the threshold.
            assertEquals(List.of(), store.defragmentSparse(0).get(30, TimeUnit.SECONDS));

            byte[] value = new byte[64 * 1024];
            var writes = new java.util.ArrayList<CompletableFuture<?>>();
            for (int i = 0; i < 500; i++) {
                writes.add(store.commit(List.of(), Map.of("/registry/big/" + i, value), List.of()));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            for (int i = 0; i < 500; i++) {
                store.commit(List.of(), Map.of(), List.of("/registry/big/" + i)).get(30, TimeUnit.SECONDS);
            }
            store.compact(store.currentRevision().get(10, TimeUnit.SECONDS)).get(30, TimeUnit.SECONDS);
            long before = store.databaseSizes().get(10, TimeUnit.SECONDS).get(0);
            assertTrue(before > 20 * 1024 * 1024, "the file holds the deleted history: " + before);

            // Compaction frees pages in the background, and bbolt counts them free only once a later commit
            // releases them: keep writing a little, as a live cluster does, until the member turns sparse.
            List<String> defragmented = List.of();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (int tick = 0; defragmented.isEmpty() && System.nanoTime() < deadline; tick++) {
                store.commit(List.of(), Map.of("/registry/tick", new byte[] {(byte) tick}), List.of()).get(10, TimeUnit.SECONDS);
                Thread.sleep(200);
                defragmented = store.defragmentSparse(0).get(60, TimeUnit.SECONDS);
            }
            assertEquals(1, defragmented.size());
            long after = store.databaseSizes().get(10, TimeUnit.SECONDS).get(0);
            assertTrue(after < before / 4, "defragmented from " + before + " to " + after + " bytes");
        }
    }

    @Test
    void aFullDatabaseTakesWritesAgainOnceSpaceIsFreedAndTheAlarmCleared() throws Exception {
        try (TestEtcd etcd = TestEtcd.start("--quota-backend-bytes=" + 16 * 1024 * 1024); EtcdStore store = etcd.connect()) {
            byte[] value = new byte[256 * 1024];
            int written = 0;
            Exception full = null;
            while (full == null && written < 200) {
                try {
                    store.commit(List.of(), Map.of("/registry/big/" + written, value), List.of()).get(30, TimeUnit.SECONDS);
                    written++;
                } catch (ExecutionException e) {
                    full = e;
                }
            }
            assertTrue(full != null && String.valueOf(full.getMessage()).contains("database space exceeded"),
                    "etcd refused writes at its quota after " + written + " values: " + full);
            for (int i = 0; i < written; i++) {
                store.commit(List.of(), Map.of(), List.of("/registry/big/" + i)).get(30, TimeUnit.SECONDS); // deletes pass
            }
            store.compact(store.currentRevision().get(10, TimeUnit.SECONDS)).get(30, TimeUnit.SECONDS);
            // The history is compacted away, but the raised alarm still refuses writes.
            assertThrows(ExecutionException.class, () -> store.commit(List.of(), Map.of("/registry/small", new byte[] {1}),
                    List.of()).get(30, TimeUnit.SECONDS));

            assertEquals(1, store.recoverFromSpaceAlarm().get(60, TimeUnit.SECONDS));
            store.commit(List.of(), Map.of("/registry/small", new byte[] {1}), List.of()).get(30, TimeUnit.SECONDS);
            assertTrue(store.databaseSizes().get(10, TimeUnit.SECONDS).get(0) < 4 * 1024 * 1024, "the file shrank");
            assertEquals(0, store.recoverFromSpaceAlarm().get(30, TimeUnit.SECONDS));
        }
    }
}
