package dev.timon.registry;

import dev.timon.storage.CacheEvent;
import dev.timon.storage.CacheWatcher;
import dev.timon.storage.WatchEventType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A watch resumed from an old revision is served from the watch cache's history, where superseded versions are
 * kept as bytes only: each replayed event must still show its own version, and the version before it, whole.
 * Against a real etcd.
 */
class WatchHistoryTest {

    private static final String NS = "watch-history";

    @Test
    void resumedWatchReplaysEveryVersionWithTheOneBefore() throws Exception {
        try (StoreFixture fixture = new StoreFixture(NS)) {
            ResourceDefinition<?> configMaps = fixture.resource("", "v1", "configmaps");
            long before = fixture.cache.revision();
            List<String> versions = new ArrayList<>();
            HasMetadata created = fixture.store.create(configMaps, NS, StoreFixture.json(
                    "{\"metadata\":{\"name\":\"cm\",\"labels\":{\"step\":\"1\"}},\"data\":{\"k\":\"1\"}}"),
                    StoreFixture.WRITE).get(10, TimeUnit.SECONDS).object();
            versions.add(created.getMetadata().getResourceVersion());
            for (int step = 2; step <= 3; step++) {
                HasMetadata updated = fixture.store.update(configMaps, NS, "cm", StoreFixture.json(
                        "{\"metadata\":{\"name\":\"cm\",\"labels\":{\"step\":\"" + step + "\"}},\"data\":{\"k\":\"" + step + "\"}}"),
                        ResourceStore.Scope.MAIN, StoreFixture.WRITE).get(10, TimeUnit.SECONDS).object();
                versions.add(updated.getMetadata().getResourceVersion());
            }
            fixture.store.delete(configMaps, NS, "cm", DeleteRequest.DEFAULT).get(10, TimeUnit.SECONDS);
            fixture.cache.waitUntilFresh().get(10, TimeUnit.SECONDS);

            List<CacheEvent> replayed = new ArrayList<>();
            CacheWatcher watcher = new CacheWatcher() {
                @Override
                public void onEvent(CacheEvent event) {
                    if ("cm".equals(event.object().object().getMetadata().getName())) {
                        replayed.add(event);
                    }
                }

                @Override
                public void onTerminated(String reason) {
                }
            };
            assertTrue(fixture.cache.watch(configMaps, before, watcher));
            fixture.cache.unwatch(configMaps, watcher);

            assertEquals(List.of(WatchEventType.ADDED, WatchEventType.MODIFIED, WatchEventType.MODIFIED,
                    WatchEventType.DELETED), replayed.stream().map(CacheEvent::type).toList());
            assertNull(replayed.get(0).previous());
            for (int i = 0; i < 3; i++) {
                ConfigMap shown = (ConfigMap) replayed.get(i).object().object();
                assertEquals(versions.get(i), shown.getMetadata().getResourceVersion());
                assertEquals(String.valueOf(i + 1), shown.getData().get("k"));
                assertEquals(String.valueOf(i + 1), replayed.get(i).object().labels().get("step"));
                if (i > 0) {
                    ConfigMap previous = (ConfigMap) replayed.get(i).previous().object();
                    assertEquals(versions.get(i - 1), previous.getMetadata().getResourceVersion());
                    assertEquals(String.valueOf(i), previous.getData().get("k"));
                }
            }
            ConfigMap last = (ConfigMap) replayed.get(3).object().object();
            assertEquals("3", last.getData().get("k"), "a deletion shows the last state");
        }
    }
}
