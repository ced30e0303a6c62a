package dev.timon.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One shared informer per resource type, so every controller in a process reads the same cache and the API server
 * serves one watch per type. Every informer is indexed by owner UID and by label; pods also by node name.
 */
public final class Informers implements AutoCloseable {

    /** Index of objects by the UID of each of their owners. */
    public static final String BY_OWNER = "byOwnerUid";
    /** Index of pods by spec.nodeName ("" for unscheduled pods). */
    public static final String BY_NODE = "byNodeName";
    /** fabric8's built-in namespace index. */
    public static final String BY_NAMESPACE = "namespace";
    /** Index of objects by "namespace/key=value" for each of their labels. */
    private static final String BY_LABEL = "byNamespacedLabel";

    private final KubernetesClient client;
    private final Map<Class<?>, SharedIndexInformer<?>> informers = new ConcurrentHashMap<>();
    private volatile boolean started;

    public Informers(KubernetesClient client) {
        this.client = client;
    }

    /** The shared informer of a type, created (not started) on first use. */
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> SharedIndexInformer<T> forType(Class<T> type) {
        return (SharedIndexInformer<T>) informers.computeIfAbsent(type, t -> create(type));
    }

    private <T extends HasMetadata> SharedIndexInformer<T> create(Class<T> type) {
        if (started) {
            throw new IllegalStateException("informer for " + type.getSimpleName() + " requested after start");
        }
        SharedIndexInformer<T> informer = retrying(client.resources(type).inAnyNamespace().runnableInformer(0));
        Map<String, Function<T, List<String>>> indexers = new java.util.HashMap<>();
        indexers.put(BY_OWNER, Informers::ownerUids);
        indexers.put(BY_LABEL, Informers::namespacedLabels);
        if (type == Pod.class) {
            indexers.put(BY_NODE, o -> List.of(nodeName((Pod) o)));
        }
        informer.addIndexers(indexers);
        return informer;
    }

    /**
     * Makes an informer retry whatever fails, as client-go's reflector does. By default fabric8 stops an informer for
     * good when its first list fails (the API server not up yet, or too busy to answer in time), or when a watch
     * ends with an error other than 410 Gone (a 504 for a resourceVersion the server has not caught up with): its
     * component then works on from a cache that never changes again. Only an object that cannot be decoded stops it.
     */
    public static <T> SharedIndexInformer<T> retrying(SharedIndexInformer<T> informer) {
        return informer.exceptionHandler((started, error) -> !ExceptionHandler.isDeserializationException(error));
    }

    /** Starts every informer created so far and waits until their caches hold a full list. */
    public void startAndSync(long timeoutSeconds) throws Exception {
        started = true;
        List<CompletableFuture<Void>> syncs = new ArrayList<>();
        for (SharedIndexInformer<?> informer : informers.values()) {
            syncs.add(informer.start().toCompletableFuture());
        }
        CompletableFuture.allOf(syncs.toArray(CompletableFuture[]::new)).get(timeoutSeconds, TimeUnit.SECONDS);
    }

    public <T extends HasMetadata> List<T> byIndex(Class<T> type, String index, String value) {
        return forType(type).getIndexer().byIndex(index, value);
    }

    /**
     * The objects in a namespace that carry every label of {@code required}, or all of the namespace's objects
     * when it is empty. Looks up one label in the index, so selecting among many objects does not scan them all.
     */
    public <T extends HasMetadata> List<T> withLabels(Class<T> type, String namespace, Map<String, String> required) {
        if (required == null || required.isEmpty()) {
            return byIndex(type, BY_NAMESPACE, namespace);
        }
        var first = required.entrySet().iterator().next();
        List<T> candidates = byIndex(type, BY_LABEL, labelKey(namespace, first.getKey(), first.getValue()));
        if (required.size() == 1) {
            return candidates;
        }
        // Every candidate has labels: the index found it by one of them.
        return candidates.stream()
                .filter(object -> object.getMetadata().getLabels().entrySet().containsAll(required.entrySet())).toList();
    }

    /** A cached object by namespace and name (namespace null or "" for cluster-scoped objects). */
    public <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
        String key = namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
        return forType(type).getStore().getByKey(key);
    }

    public KubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        informers.values().forEach(SharedIndexInformer::stop);
    }

    private static String nodeName(Pod pod) {
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        return node == null ? "" : node;
    }

    private static List<String> namespacedLabels(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        if (labels == null || labels.isEmpty()) {
            return List.of();
        }
        String namespace = object.getMetadata().getNamespace();
        List<String> keys = new ArrayList<>(labels.size());
        labels.forEach((key, value) -> keys.add(labelKey(namespace, key, value)));
        return keys;
    }

    private static String labelKey(String namespace, String key, String value) {
        return (namespace == null ? "" : namespace) + "/" + key + "=" + value;
    }

    private static List<String> ownerUids(HasMetadata object) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        if (refs == null || refs.isEmpty()) {
            return List.of();
        }
        List<String> uids = new ArrayList<>(refs.size());
        for (OwnerReference ref : refs) {
            uids.add(ref.getUid());
        }
        return uids;
    }
}
