package dev.timon.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timon.apimachinery.FieldSelector;
import dev.timon.apimachinery.LabelSelector;
import dev.timon.storage.CacheEvent;
import dev.timon.storage.CacheWatcher;
import dev.timon.storage.WatchEventType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A value written to etcd by something other than the registry, whose metadata looks right but whose body does not
 * decode into its type, is admitted to the watch cache undecoded: selectors pass over it, and its deletion reaches
 * watchers as an event and removes it. Against a real etcd.
 */
class ForeignValueTest {

    private static final String NS = "foreign";

    @Test
    void anUndecodableValueIsSkippedBySelectorsAndLeavesTheCacheWhenDeleted() throws Exception {
        try (StoreFixture fixture = new StoreFixture(NS)) {
            ResourceDefinition<?> configMaps = fixture.resource("", "v1", "configmaps");
            fixture.store.create(configMaps, NS, StoreFixture.json(
                    "{\"metadata\":{\"name\":\"good\",\"labels\":{\"app\":\"a\"}}}"), StoreFixture.WRITE).get(10, TimeUnit.SECONDS);
            String badKey = configMaps.key(NS, "bad");
            byte[] bad = ("{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"bad\",\"namespace\":\"" + NS
                    + "\",\"labels\":{\"app\":\"a\"}},\"data\":5}").getBytes(StandardCharsets.UTF_8);
            fixture.etcdStore.commit(List.of(), Map.of(badKey, bad), List.of()).get(10, TimeUnit.SECONDS);

            assertEquals(List.of("bad", "good"), names(fixture, configMaps, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING));
            assertEquals(List.of("good"), names(fixture, configMaps, LabelSelector.parse("app=a"), FieldSelector.EVERYTHING));
            assertEquals(List.of("good"), names(fixture, configMaps, LabelSelector.EVERYTHING, FieldSelector.parse("metadata.name!=x")));

            // A watcher sees the deletion as an event: the cache follows etcd on, rather than failing and re-listing
            // (which would end this watch instead).
            CompletableFuture<CacheEvent> deleted = new CompletableFuture<>();
            CacheWatcher watcher = new CacheWatcher() {
                @Override
                public void onEvent(CacheEvent event) {
                    if (event.type() == WatchEventType.DELETED && event.object().key().equals(badKey)) {
                        deleted.complete(event);
                    }
                }

                @Override
                public void onTerminated(String reason) {
                    deleted.completeExceptionally(new AssertionError("watch ended: " + reason));
                }
            };
            assertTrue(fixture.cache.watch(configMaps, fixture.cache.revision(), watcher));
            fixture.etcdStore.commit(List.of(), Map.of(), List.of(badKey)).get(10, TimeUnit.SECONDS);
            assertEquals(badKey, deleted.get(10, TimeUnit.SECONDS).object().key());
            fixture.cache.unwatch(configMaps, watcher);
            assertEquals(List.of("good"), names(fixture, configMaps, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING));
        }
    }

    /** The names a consistent list returns, in key order; an undecodable item is named from its key. */
    private static List<String> names(StoreFixture fixture, ResourceDefinition<?> def, LabelSelector labels,
                                      FieldSelector fields) throws Exception {
        ListResult result = fixture.store.list(def, new ListRequest(NS, labels, fields, 0, null, null)).get(10, TimeUnit.SECONDS);
        return result.items().stream().map(o -> o.key().substring(o.key().lastIndexOf('/') + 1)).toList();
    }
}
