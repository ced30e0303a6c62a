package dev.timon.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apimachinery.ApiException;
import dev.timon.apimachinery.Json;
import dev.timon.registry.resources.BuiltinResources;
import dev.timon.storage.EtcdStore;
import dev.timon.storage.TestEtcd;
import dev.timon.storage.WatchCache;
import io.fabric8.kubernetes.api.model.Namespace;
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
    private static final WriteOptions WRITE = new WriteOptions(false, "test");

    private static TestEtcd etcd;
    private static EtcdStore etcdStore;
    private static WatchCache cache;
    private static ResourceStore store;
    private static ResourceDefinition<?> configMaps;
    private static final Deque<String> scriptedNames = new ArrayDeque<>();

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void start() throws Exception {
        etcd = TestEtcd.start();
        etcdStore = etcd.connect();
        Registry registry = BuiltinResources.registry();
        cache = new WatchCache(etcdStore, registry.all());
        cache.start().get(30, TimeUnit.SECONDS);
        var namespaces = (ResourceDefinition<Namespace>) registry.find("", "v1", "namespaces").orElseThrow();
        store = new ResourceStore(etcdStore, cache, namespaces, prefix -> prefix + scriptedNames.pop());
        configMaps = registry.find("", "v1", "configmaps").orElseThrow();
        store.create(namespaces, null, json("{\"metadata\":{\"name\":\"" + NS + "\"}}"), WRITE).get(10, TimeUnit.SECONDS);
        store.create(configMaps, NS, json("{\"metadata\":{\"name\":\"cm-taken\"}}"), WRITE).get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        cache.close();
        etcdStore.close();
        etcd.close();
    }

    @Test
    void aTakenGeneratedNameIsGeneratedAnew() throws Exception {
        scriptedNames.addAll(List.of("taken", "taken", "fresh"));
        var created = store.create(configMaps, NS, json("{\"metadata\":{\"generateName\":\"cm-\"}}"), WRITE).get(10, TimeUnit.SECONDS);
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
        try {
            return (ObjectNode) Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
