package dev.timon.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apimachinery.ApiException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A generateName create whose generated name is taken tries a fresh one, up to upstream's eight tries, against a
 * real etcd. The names come from a generator this test scripts: random five-character suffixes collide too rarely
 * (one create in about 1,400 with 10,000 objects of one prefix) to be provoked otherwise.
 */
class GenerateNameTest {

    private static final String NS = "generate-name";
    private static final WriteOptions WRITE = StoreFixture.WRITE;
    private static final Deque<String> scriptedNames = new ArrayDeque<>();

    private static StoreFixture fixture;
    private static ResourceStore store;
    private static ResourceDefinition<?> configMaps;

    @BeforeAll
    static void start() throws Exception {
        fixture = new StoreFixture(NS, prefix -> prefix + scriptedNames.pop());
        store = fixture.store;
        configMaps = fixture.resource("", "v1", "configmaps");
        store.create(configMaps, NS, json("{\"metadata\":{\"name\":\"cm-taken\"}}"), WRITE).get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void aTakenGeneratedNameIsGeneratedAnew() throws Exception {
        scriptedNames.addAll(List.of("taken", "taken", "fresh"));
        var created = store.create(configMaps, NS, json("{\"metadata\":{\"generateName\":\"cm-\"}}"), WRITE).get(10, TimeUnit.SECONDS).object();
        assertEquals("cm-fresh", created.getMetadata().getName());
        assertTrue(scriptedNames.isEmpty());
    }

    @Test
    void afterEightTakenNamesTheCreateIsAlreadyExists() {
        for (int i = 0; i < 8; i++) {
            scriptedNames.add("taken");
        }
        scriptedNames.add("never-tried");
        var failure = assertThrows(ExecutionException.class, () -> store.create(configMaps, NS,
                json("{\"metadata\":{\"generateName\":\"cm-\"}}"), WRITE).get(10, TimeUnit.SECONDS));
        ApiException error = assertInstanceOf(ApiException.class, failure.getCause());
        assertEquals(409, error.code());
        assertEquals("AlreadyExists", error.reason());
        assertEquals(List.of("never-tried"), List.copyOf(scriptedNames));
        scriptedNames.clear();
    }

    @Test
    void aTakenExplicitNameIsNotRetried() {
        var failure = assertThrows(ExecutionException.class, () -> store.create(configMaps, NS,
                json("{\"metadata\":{\"name\":\"cm-taken\"}}"), WRITE).get(10, TimeUnit.SECONDS));
        assertEquals(409, assertInstanceOf(ApiException.class, failure.getCause()).code());
    }

    private static ObjectNode json(String text) {
        return StoreFixture.json(text);
    }
}
