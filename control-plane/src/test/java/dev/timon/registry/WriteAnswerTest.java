package dev.timon.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.timon.apimachinery.Json;
import dev.timon.storage.CachedObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A write answers with the bytes it stored, the resourceVersion stamped in (not an encoding of its own): those bytes
 * must say exactly what a read of the object says afterwards, for a plain resource and for a view of another's
 * storage. Against a real etcd.
 */
class WriteAnswerTest {

    private static final String NS = "write-answer";

    private static StoreFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new StoreFixture(NS);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void createUpdateAndPatchAnswerWhatIsStored() throws Exception {
        ResourceDefinition<?> configMaps = fixture.resource("", "v1", "configmaps");
        CachedObject created = fixture.store.create(configMaps, NS, StoreFixture.json(
                "{\"metadata\":{\"name\":\"cm\",\"labels\":{\"a\":\"1\"}},\"data\":{\"k\":\"v\"}}"), StoreFixture.WRITE)
                .get(10, TimeUnit.SECONDS);
        assertAnswerIsStored(configMaps, "cm", created);

        CachedObject updated = fixture.store.update(configMaps, NS, "cm", StoreFixture.json(
                "{\"metadata\":{\"name\":\"cm\"},\"data\":{\"k\":\"v2\"}}"), ResourceStore.Scope.MAIN, StoreFixture.WRITE)
                .get(10, TimeUnit.SECONDS);
        assertAnswerIsStored(configMaps, "cm", updated);
        assertEquals("v2", Json.MAPPER.readTree(updated.json()).path("data").path("k").asText());

        CachedObject patched = fixture.store.patch(configMaps, NS, "cm", current -> {
            current.with("data").put("other", "x");
            return current;
        }, ResourceStore.Scope.MAIN, StoreFixture.WRITE).get(10, TimeUnit.SECONDS);
        assertAnswerIsStored(configMaps, "cm", patched);
    }

    @Test
    void aViewAnswersInItsOwnForm() throws Exception {
        ResourceDefinition<?> events = fixture.resource("events.k8s.io", "v1", "events");
        CachedObject created = fixture.store.create(events, NS, StoreFixture.json("""
                {"metadata":{"name":"seen"},"eventTime":"2026-01-01T00:00:00.000000Z","reportingController":"test",
                 "reportingInstance":"test-1","action":"Check","reason":"Checked","type":"Normal",
                 "regarding":{"kind":"Pod","namespace":"write-answer","name":"p"},"note":"looked"}"""),
                StoreFixture.WRITE).get(10, TimeUnit.SECONDS);
        assertEquals("events.k8s.io/v1", Json.MAPPER.readTree(created.json()).path("apiVersion").asText());
        assertAnswerIsStored(events, "seen", created);
    }

    private static void assertAnswerIsStored(ResourceDefinition<?> def, String name, CachedObject answer) throws Exception {
        JsonNode answered = Json.MAPPER.readTree(answer.json());
        JsonNode read = Json.MAPPER.readTree(fixture.store.get(def, NS, name).get(10, TimeUnit.SECONDS).json());
        assertEquals(read, answered);
        assertEquals(Long.toString(answer.revision()), answered.path("metadata").path("resourceVersion").asText());
        assertEquals(read, Json.tree(answer.object()));
    }
}
