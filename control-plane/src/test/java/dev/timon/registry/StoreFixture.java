package dev.timon.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apimachinery.Json;
import dev.timon.registry.resources.BuiltinResources;
import dev.timon.storage.EtcdStore;
import dev.timon.storage.TestEtcd;
import dev.timon.storage.WatchCache;
import io.fabric8.kubernetes.api.model.Namespace;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The storage stack the API server runs, for tests of the registry: a private etcd, the watch cache over every
 * built-in resource and a {@link ResourceStore}, with one namespace created.
 */
final class StoreFixture implements AutoCloseable {

    static final WriteOptions WRITE = new WriteOptions(false, "test");

    final Registry registry;
    final TestEtcd etcd;
    final EtcdStore etcdStore;
    final WatchCache cache;
    final ResourceStore store;

    /** Names from generateName as the API server makes them. */
    StoreFixture(String namespace) throws Exception {
        this(namespace, BuiltinResources.registry());
    }

    /** Names from generateName made by {@code nameGenerator} (null: as the API server makes them). */
    StoreFixture(String namespace, UnaryOperator<String> nameGenerator) throws Exception {
        this(namespace, nameGenerator, BuiltinResources.registry());
    }

    /** The resources of {@code registry} (built-in ones configured otherwise, e.g. with another event TTL). */
    StoreFixture(String namespace, Registry registry) throws Exception {
        this(namespace, null, registry);
    }

    @SuppressWarnings("unchecked")
    private StoreFixture(String namespace, UnaryOperator<String> nameGenerator, Registry registry) throws Exception {
        this.registry = registry;
        etcd = TestEtcd.start();
        etcdStore = etcd.connect();
        cache = new WatchCache(etcdStore, registry.all());
        cache.start().get(30, TimeUnit.SECONDS);
        var namespaces = (ResourceDefinition<Namespace>) resource("", "v1", "namespaces");
        store = nameGenerator == null ? new ResourceStore(etcdStore, cache, namespaces)
                : new ResourceStore(etcdStore, cache, namespaces, nameGenerator);
        store.create(namespaces, null, json("{\"metadata\":{\"name\":\"" + namespace + "\"}}"), WRITE).get(10, TimeUnit.SECONDS);
    }

    ResourceDefinition<?> resource(String group, String version, String plural) {
        return registry.find(group, version, plural).orElseThrow();
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() throws Exception {
        cache.close();
        etcdStore.close();
        etcd.close();
    }
}
