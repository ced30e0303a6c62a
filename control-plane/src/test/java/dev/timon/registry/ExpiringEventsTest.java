package dev.timon.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apimachinery.ApiException;
import dev.timon.registry.resources.BuiltinResources;
import dev.timon.storage.CacheEvent;
import dev.timon.storage.WatchEventType;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.LeaseOption;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Events expire after their time to live through etcd leases, as upstream's --event-ttl; against a real etcd. */
class ExpiringEventsTest {

    private static final String NS = "expiring";

    /** With upstream's hour, events written together share one lease of an hour and at most a minute more. */
    @Test
    void eventsWrittenTogetherShareOneLeaseOfAnHour() throws Exception {
        try (StoreFixture fixture = new StoreFixture(NS, BuiltinResources.registry());
             Client etcd = Client.builder().endpoints(fixture.etcd.endpoint()).build()) {
            ResourceDefinition<?> events = fixture.resource("", "v1", "events");
            create(fixture, events, event("first"));
            create(fixture, events, event("second"));
            create(fixture, fixture.resource("", "v1", "configmaps"), StoreFixture.json("{\"metadata\":{\"name\":\"kept\"}}"));

            long first = lease(etcd, events.key(NS, "first"));
            assertNotEquals(0, first, "the event has no lease");
            assertEquals(first, lease(etcd, events.key(NS, "second")));
            var granted = etcd.getLeaseClient().timeToLive(first, LeaseOption.DEFAULT).get(10, TimeUnit.SECONDS);
            assertEquals(3_660, granted.getGrantedTTL());
            assertTrue(granted.getTTL() > 3_590, "lease TTL left: " + granted.getTTL() + " s");
            assertEquals(0, lease(etcd, fixture.resource("", "v1", "configmaps").key(NS, "kept")));
        }
    }

    /** An event whose time is up leaves etcd, the cache and its watchers' views; a ConfigMap written with it stays. */
    @Test
    void anEventIsDeletedWhenItsTimeIsUp() throws Exception {
        try (StoreFixture fixture = new StoreFixture(NS, BuiltinResources.registry(Duration.ofSeconds(2)))) {
            ResourceDefinition<?> events = fixture.resource("", "v1", "events");
            ResourceDefinition<?> configMaps = fixture.resource("", "v1", "configmaps");
            QueueingWatcher watcher = new QueueingWatcher();
            LinkedBlockingQueue<CacheEvent> seen = watcher.events;
            assertTrue(fixture.cache.watch(events, fixture.cache.revision(), watcher));
            create(fixture, events, event("short-lived"));
            create(fixture, configMaps, StoreFixture.json("{\"metadata\":{\"name\":\"lasting\"}}"));

            assertEquals(WatchEventType.ADDED, seen.poll(10, TimeUnit.SECONDS).type());
            // etcd revokes an expired lease within about a second of its TTL; bounded generously for a slow machine.
            CacheEvent deleted = seen.poll(30, TimeUnit.SECONDS);
            assertNotNull(deleted, "the event was not deleted");
            assertEquals(WatchEventType.DELETED, deleted.type());
            assertEquals("short-lived", deleted.object().object().getMetadata().getName());
            ExecutionException missing = assertThrows(ExecutionException.class,
                    () -> fixture.store.get(events, NS, "short-lived").get(10, TimeUnit.SECONDS));
            assertEquals(404, assertInstanceOf(ApiException.class, missing.getCause()).code());
            assertNotNull(fixture.store.get(configMaps, NS, "lasting").get(10, TimeUnit.SECONDS));
            fixture.cache.unwatch(events, watcher);
        }
    }

    private static long lease(Client etcd, String key) throws Exception {
        return etcd.getKVClient().get(ByteSequence.from(key, StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS)
                .getKvs().get(0).getLease();
    }

    private static void create(StoreFixture fixture, ResourceDefinition<?> def, ObjectNode body) throws Exception {
        fixture.store.create(def, NS, body, StoreFixture.WRITE).get(10, TimeUnit.SECONDS);
    }

    private static ObjectNode event(String name) {
        return StoreFixture.json("""
                {"apiVersion":"v1","kind":"Event","metadata":{"name":"%s"},
                 "involvedObject":{"apiVersion":"v1","kind":"Pod","name":"web","namespace":"%s"},
                 "reason":"Scheduled","message":"assigned","type":"Normal","source":{"component":"default-scheduler"}}
                """.formatted(name, NS));
    }
}
