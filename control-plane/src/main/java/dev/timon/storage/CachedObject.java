package dev.timon.storage;

import dev.timon.apimachinery.Json;
import dev.timon.registry.ResourceDefinition;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Map;

/**
 * An object as the watch cache holds it: decoded once, with its resourceVersion set, and encoded once,
 * so lists and watch fan-out copy bytes instead of re-encoding. Never mutate {@link #object()}:
 * handlers that change an object work on {@link Json#copy} of it.
 */
public final class CachedObject {

    private final String key;
    private final long revision;
    private final HasMetadata object;
    private final byte[] json;

    CachedObject(String key, long revision, HasMetadata object) {
        this.key = key;
        this.revision = revision;
        this.object = object;
        this.json = Json.bytes(object);
    }

    /** Decodes a stored value and stamps the revision in as resourceVersion. */
    public static CachedObject decode(String key, byte[] value, long revision, Class<? extends HasMetadata> type) {
        HasMetadata object = Json.read(value, type);
        object.getMetadata().setResourceVersion(Long.toString(revision));
        return new CachedObject(key, revision, object);
    }

    /** This stored object as {@code def} serves it: itself, or converted (encoded anew) when def is a view. */
    public CachedObject as(ResourceDefinition<?> def) {
        return def.isView() ? new CachedObject(key, revision, def.fromStorage(object)) : this;
    }

    public String key() {
        return key;
    }

    public long revision() {
        return revision;
    }

    public HasMetadata object() {
        return object;
    }

    public byte[] json() {
        return json;
    }

    public String namespace() {
        return object.getMetadata().getNamespace();
    }

    public String name() {
        return object.getMetadata().getName();
    }

    public Map<String, String> labels() {
        return object.getMetadata().getLabels();
    }
}
