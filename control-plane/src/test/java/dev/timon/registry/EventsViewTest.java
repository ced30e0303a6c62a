package dev.timon.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apimachinery.ApiException;
import dev.timon.apimachinery.FieldSelector;
import dev.timon.apimachinery.Json;
import dev.timon.apimachinery.LabelSelector;
import dev.timon.storage.CacheEvent;
import dev.timon.storage.CachedObject;
import dev.timon.storage.EtcdStore;
import dev.timon.storage.WatchCache;
import dev.timon.storage.WatchEventType;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * core/v1 and events.k8s.io/v1 Events are one stored resource (events.k8s.io/v1 a converted view), against a real
 * etcd through the store and watch cache the API server uses.
 */
class EventsViewTest {

    private static final String NS = "events-view";
    private static final WriteOptions WRITE = StoreFixture.WRITE;

    private static StoreFixture fixture;
    private static EtcdStore etcdStore;
    private static WatchCache cache;
    private static ResourceStore store;
    private static ResourceDefinition<?> core;
    private static ResourceDefinition<?> v1;

    @BeforeAll
    static void start() throws Exception {
        fixture = new StoreFixture(NS);
        etcdStore = fixture.etcdStore;
        cache = fixture.cache;
        store = fixture.store;
        core = fixture.resource("", "v1", "events");
        v1 = fixture.resource("events.k8s.io", "v1", "events");
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void oneCacheServesBoth() {
        assertSame(cache.cache(core), cache.cache(v1));
        assertEquals(core.key(NS, "x"), v1.key(NS, "x"));
    }

    @Test
    void createdThroughCoreReadsThroughEventsV1() throws Exception {
        HasMetadata created = create(core, coreEvent("from-core", "web", "Scheduled"));
        CachedObject read = get(v1, "from-core");
        var event = (io.fabric8.kubernetes.api.model.events.v1.Event) read.object();
        assertEquals(created.getMetadata().getUid(), event.getMetadata().getUid());
        assertEquals(created.getMetadata().getResourceVersion(), event.getMetadata().getResourceVersion());
        assertEquals("Pod", event.getRegarding().getKind());
        assertEquals("web", event.getRegarding().getName());
        assertEquals("Successfully assigned", event.getNote());
        assertEquals("default-scheduler", event.getDeprecatedSource().getComponent());
        assertEquals("default-scheduler", event.getReportingController());
        assertEquals("2024-01-02T03:04:05Z", event.getDeprecatedFirstTimestamp());
        assertEquals("2024-01-02T03:04:06Z", event.getDeprecatedLastTimestamp());
        assertEquals(3, event.getDeprecatedCount());
        JsonNode served = Json.MAPPER.readTree(read.json());
        assertEquals("events.k8s.io/v1", served.path("apiVersion").asText());
        assertEquals("Event", served.path("kind").asText());
        assertFalse(served.has("involvedObject") || served.has("message") || served.has("reportingComponent"),
                served.toString());
        assertEquals(created.getMetadata().getResourceVersion(), served.path("metadata").path("resourceVersion").asText());
    }

    @Test
    void createdThroughEventsV1ReadsThroughCore() throws Exception {
        HasMetadata created = create(v1, v1Event("from-v1", "api"));
        Event event = (Event) get(core, "from-v1").object();
        assertEquals("v1", event.getApiVersion());
        assertEquals(created.getMetadata().getUid(), event.getMetadata().getUid());
        assertEquals(created.getMetadata().getResourceVersion(), event.getMetadata().getResourceVersion());
        assertEquals("Deployment", event.getInvolvedObject().getKind());
        assertEquals("api", event.getInvolvedObject().getName());
        assertEquals("ReplicaSet", event.getRelated().getKind());
        assertEquals("scaled up", event.getMessage());
        assertEquals("example.com/controller", event.getReportingComponent());
        assertEquals("controller-0", event.getReportingInstance());
        assertEquals("Scale", event.getAction());
        assertEquals("ScalingReplicaSet", event.getReason());
        assertEquals("Normal", event.getType());
        assertEquals("2024-01-02T03:04:05.123456Z", event.getEventTime().getTime());
        assertEquals(2, event.getSeries().getCount());
        assertEquals("2024-01-02T03:05:00.000000Z", event.getSeries().getLastObservedTime().getTime());
        JsonNode stored = Json.MAPPER.readTree(etcdStore.get(core.key(NS, "from-v1")).get().orElseThrow().value());
        assertEquals("v1", stored.path("apiVersion").asText());
        assertTrue(stored.has("involvedObject") && !stored.has("regarding"), stored.toString());
    }

    @Test
    void watchOfOneSeesWritesThroughTheOther() throws Exception {
        QueueingWatcher watcher = new QueueingWatcher();
        LinkedBlockingQueue<CacheEvent> seen = watcher.events;
        assertTrue(cache.watch(v1, cache.revision(), watcher));
        try {
            HasMetadata created = create(core, coreEvent("watched", "db", "Pulled"));
            CacheEvent added = next(seen, "watched");
            assertEquals(WatchEventType.ADDED, added.type());
            CachedObject shown = added.object().as(v1);
            assertEquals("db", ((io.fabric8.kubernetes.api.model.events.v1.Event) shown.object()).getRegarding().getName());
            assertEquals(created.getMetadata().getResourceVersion(), shown.object().getMetadata().getResourceVersion());
            assertTrue(new String(shown.json(), StandardCharsets.UTF_8).contains("\"regarding\""));
            store.delete(core, NS, "watched", DeleteRequest.DEFAULT).get(10, TimeUnit.SECONDS);
            assertEquals(WatchEventType.DELETED, next(seen, "watched").type());
        } finally {
            cache.unwatch(v1, watcher);
        }
    }

    @Test
    void deleteThroughOneRemovesFromBoth() throws Exception {
        create(core, coreEvent("gone-1", "a", "Killing"));
        create(v1, v1Event("gone-2", "b"));
        ResourceStore.Deletion deleted = store.delete(v1, NS, "gone-1", DeleteRequest.DEFAULT).get(10, TimeUnit.SECONDS);
        assertTrue(deleted.removed());
        assertTrue(deleted.object() instanceof io.fabric8.kubernetes.api.model.events.v1.Event);
        store.delete(core, NS, "gone-2", DeleteRequest.DEFAULT).get(10, TimeUnit.SECONDS);
        for (String name : List.of("gone-1", "gone-2")) {
            assertEquals(404, failure(store.get(core, NS, name)).code());
            assertEquals(404, failure(store.get(v1, NS, name)).code());
        }
    }

    @Test
    void updatesThroughEitherApiShowInBoth() throws Exception {
        HasMetadata created = create(core, coreEvent("bumped", "web", "BackOff"));
        HasMetadata bumped = store.patch(core, NS, "bumped", current -> {
            current.put("count", 4);
            current.put("message", "Back-off again");
            return current;
        }, ResourceStore.Scope.MAIN, WRITE).get(10, TimeUnit.SECONDS).object();
        var viewed = (io.fabric8.kubernetes.api.model.events.v1.Event) get(v1, "bumped").object();
        assertEquals(4, viewed.getDeprecatedCount());
        assertEquals("Back-off again", viewed.getNote());
        assertEquals(bumped.getMetadata().getResourceVersion(), viewed.getMetadata().getResourceVersion());
        assertEquals(created.getMetadata().getUid(), viewed.getMetadata().getUid());

        HasMetadata labelled = store.patch(v1, NS, "bumped", current -> {
            ((ObjectNode) current.get("metadata")).putObject("labels").put("seen", "yes");
            return current;
        }, ResourceStore.Scope.MAIN, WRITE).get(10, TimeUnit.SECONDS).object();
        Event stored = (Event) get(core, "bumped").object();
        assertEquals("yes", stored.getMetadata().getLabels().get("seen"));
        assertEquals("Back-off again", stored.getMessage());
        assertEquals(labelled.getMetadata().getResourceVersion(), stored.getMetadata().getResourceVersion());
    }

    @Test
    void eventsV1WritesAreValidatedAsUpstreamValidatesThem() throws Exception {
        ApiException missing = failure(store.create(v1, NS, json("""
                {"metadata":{"name":"bare"},"type":"Normal","regarding":{"kind":"Pod","name":"p","namespace":"%s"}}
                """.formatted(NS)), WRITE));
        assertEquals(422, missing.code());
        assertEquals(List.of("eventTime"), fields(missing));

        ApiException incomplete = failure(store.create(v1, NS, json("""
                {"metadata":{"name":"incomplete"},"type":"Sometimes","eventTime":"2024-01-02T03:04:05.000000Z",
                 "regarding":{"kind":"Pod","name":"p","namespace":"%s"},"deprecatedCount":2}
                """.formatted(NS)), WRITE));
        assertEquals(List.of("reportingController", "reportingInstance", "action", "reason", "type", "count"),
                fields(incomplete));

        create(v1, v1Event("fixed", "api"));
        ApiException immutable = failure(store.patch(v1, NS, "fixed", current -> current.put("note", "rewritten"),
                ResourceStore.Scope.MAIN, WRITE));
        assertEquals(List.of("message"), fields(immutable));

        // core/v1 stays as lenient as upstream keeps it for old clients.
        create(core, json("{\"metadata\":{\"name\":\"lenient\"},\"message\":\"m\"}"));
    }

    @Test
    void listsSelectFieldsByEachApisNames() throws Exception {
        create(core, coreEvent("sel-1", "alpha", "Started"));
        create(core, coreEvent("sel-2", "beta", "Started"));
        create(v1, v1Event("sel-3", "alpha"));

        assertEquals(List.of("sel-1"), names(list(v1, "regarding.name=alpha,regarding.kind=Pod", 0, null)));
        assertEquals(List.of("sel-1"), names(list(core, "involvedObject.name=alpha,involvedObject.kind=Pod", 0, null)));
        assertEquals(List.of("sel-3"), names(list(v1, "reportingController=example.com/controller,regarding.name=alpha", 0, null)));
        assertEquals(List.of("sel-3"), names(list(core, "reportingComponent=example.com/controller,involvedObject.name=alpha", 0, null)));
        assertEquals(List.of("sel-1", "sel-2"), names(list(v1, "reason=Started,source=default-scheduler,type=Normal", 0, null)));

        assertEquals(400, failure(list(v1, "involvedObject.name=alpha", 0, null)).code());
        assertEquals(400, failure(list(core, "regarding.name=alpha", 0, null)).code());
        assertEquals(400, failure(list(v1, "reportingComponent=x", 0, null)).code());

        ListResult first = list(v1, "regarding.name=alpha", 1, null).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("sel-1"), names(first));
        assertFalse(first.continueToken().isEmpty());
        ListResult second = list(v1, "regarding.name=alpha", 1, first.continueToken()).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("sel-3"), names(second));
        assertTrue(second.items().get(0).object() instanceof io.fabric8.kubernetes.api.model.events.v1.Event);
    }

    @Test
    void eventsV1PrintsTheCoreColumns() throws Exception {
        create(core, coreEvent("printed", "web", "Created"));
        HasMetadata stored = get(core, "printed").object();
        HasMetadata viewed = get(v1, "printed").object();
        assertEquals(cells(core, stored), cells(v1, viewed));
        assertEquals(core.columns().stream().map(TableColumn::name).toList(),
                v1.columns().stream().map(TableColumn::name).toList());
    }

    // ---- helpers ----

    private static ObjectNode coreEvent(String name, String pod, String reason) {
        return json("""
                {"apiVersion":"v1","kind":"Event","metadata":{"name":"%s"},
                 "involvedObject":{"apiVersion":"v1","kind":"Pod","name":"%s","namespace":"%s","uid":"u-%s"},
                 "reason":"%s","message":"Successfully assigned","type":"Normal",
                 "source":{"component":"default-scheduler"},"reportingComponent":"default-scheduler",
                 "reportingInstance":"default-scheduler-1",
                 "firstTimestamp":"2024-01-02T03:04:05Z","lastTimestamp":"2024-01-02T03:04:06Z","count":3}
                """.formatted(name, pod, NS, pod, reason));
    }

    private static ObjectNode v1Event(String name, String deployment) {
        return json("""
                {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"%s"},
                 "eventTime":"2024-01-02T03:04:05.123456Z",
                 "series":{"count":2,"lastObservedTime":"2024-01-02T03:05:00.000000Z"},
                 "reportingController":"example.com/controller","reportingInstance":"controller-0",
                 "action":"Scale","reason":"ScalingReplicaSet","note":"scaled up","type":"Normal",
                 "regarding":{"apiVersion":"apps/v1","kind":"Deployment","name":"%s","namespace":"%s"},
                 "related":{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"%s-1","namespace":"%s"}}
                """.formatted(name, deployment, NS, deployment, NS));
    }

    private static ObjectNode json(String text) {
        return StoreFixture.json(text);
    }

    private static HasMetadata create(ResourceDefinition<?> def, ObjectNode body) throws Exception {
        return store.create(def, NS, body, WRITE).get(10, TimeUnit.SECONDS).object();
    }

    private static CachedObject get(ResourceDefinition<?> def, String name) throws Exception {
        return store.get(def, NS, name).get(10, TimeUnit.SECONDS);
    }

    private static CompletableFuture<ListResult> list(ResourceDefinition<?> def, String fieldSelector, int limit,
                                                      String continueToken) {
        try {
            return store.list(def, new ListRequest(NS, LabelSelector.parse(null), FieldSelector.parse(fieldSelector),
                    limit, continueToken, null));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static List<String> names(CompletableFuture<ListResult> list) throws Exception {
        return names(list.get(10, TimeUnit.SECONDS));
    }

    private static List<String> names(ListResult list) {
        return list.items().stream().map(o -> o.object().getMetadata().getName()).toList();
    }

    /** The ApiException a call failed with, whether thrown at once or through the future. */
    private static ApiException failure(CompletableFuture<?> call) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof ApiException, e.getCause().toString());
        return (ApiException) e.getCause();
    }

    private static List<String> fields(ApiException e) {
        return e.toStatus().getDetails().getCauses().stream().map(io.fabric8.kubernetes.api.model.StatusCause::getField)
                .toList();
    }

    private static CacheEvent next(LinkedBlockingQueue<CacheEvent> seen, String name) throws InterruptedException {
        while (true) {
            CacheEvent event = seen.poll(10, TimeUnit.SECONDS);
            assertNotNull(event, "no watch event for " + name);
            if (event.object().object().getMetadata().getName().equals(name)) {
                return event;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> List<Object> cells(ResourceDefinition<T> def, HasMetadata object) {
        return def.columns().stream().map(c -> c.cell().apply((T) object)).toList();
    }
}
