package dev.timon.storage;

import dev.timon.apimachinery.Json;
import dev.timon.registry.ResourceDefinition;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Map;

/**
 * An object as the watch cache holds it: decoded once, with its resourceVersion set, and encoded once,
 * so lists and watch fan-out copy bytes instead of re-encoding. Never mutate {@link #object()}:
 * handlers that change an object work on {@link Json#copy} of it. A version that has been superseded keeps only
 * its bytes (see {@link #release}); its {@link #object()} is then decoded anew on each call.
 */
public final class CachedObject {

    private final String key;
    private final long revision;
    private final Class<? extends HasMetadata> type;
    private final byte[] json;
    private final String name;
    private final String namespace;
    private final Map<String, String> labels;
    private volatile HasMetadata object;

    CachedObject(String key, long revision, HasMetadata object) {
        this.key = key;
        this.revision = revision;
        this.type = object.getClass();
        this.object = object;
        this.json = Json.bytes(object);
        this.name = object.getMetadata().getName();
        this.namespace = object.getMetadata().getNamespace();
        this.labels = object.getMetadata().getLabels();
    }

    /** Decodes a stored value and stamps the revision in as resourceVersion. */
    public static CachedObject decode(String key, byte[] value, long revision, Class<? extends HasMetadata> type) {
        HasMetadata object = Json.read(value, type);
        object.getMetadata().setResourceVersion(Long.toString(revision));
        return new CachedObject(key, revision, object);
    }

    /** This stored object as {@code def} serves it: itself, or converted (encoded anew) when def is a view. */
    public CachedObject as(ResourceDefinition<?> def) {
        return def.isView() ? new CachedObject(key, revision, def.fromStorage(object())) : this;
    }

    /**
     * Drops the decoded form once this version is superseded, leaving the bytes for watches that resume from the
     * history: decoded graphs kept there for 10,000 events outlived the young collections, which copied them.
     */
    void release() {
        object = null;
    }

    public String key() {
        return key;
    }

    public long revision() {
        return revision;
    }

    public HasMetadata object() {
        HasMetadata decoded = object;
        return decoded != null ? decoded : Json.read(json, type);
    }

    public byte[] json() {
        return json;
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    public Map<String, String> labels() {
        return labels;
    }
}
