package dev.timon.storage;

import dev.timon.apimachinery.Json;
import dev.timon.registry.ResourceDefinition;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Map;
import java.util.function.Function;

/**
 * An object as the watch cache holds it, and as a write answers it: its stored bytes with the resourceVersion
 * written in, so lists, gets, watch fan-out and write responses copy bytes instead of encoding. The model object is decoded on first use, and kept while this is the
 * current version. Never mutate {@link #object()}: handlers that change an object work on {@link Json#copy} of it.
 * A version that has been superseded keeps only its bytes (see {@link #release}); its {@link #object()} is then
 * decoded anew on each call.
 */
public final class CachedObject {

    private final String key;
    private final long revision;
    private final Class<? extends HasMetadata> type;
    private final byte[] json;
    private volatile HasMetadata object;
    private volatile boolean released;
    /** What selectors look at, kept past {@link #release}, as upstream's watch cache keeps each object's attributes:
     * a watch resuming from the history then selects without decoding. */
    private volatile Map<String, String> labels;
    private volatile Map<String, String> fields;

    CachedObject(String key, long revision, HasMetadata object) {
        this.key = key;
        this.revision = revision;
        this.type = object.getClass();
        this.object = object;
        this.json = Json.bytes(object);
    }

    private CachedObject(String key, long revision, Class<? extends HasMetadata> type, byte[] json) {
        this.key = key;
        this.revision = revision;
        this.type = type;
        this.json = json;
    }

    /** An object not (or not so) stored, e.g. a dry run's: encoded from the object. */
    public static CachedObject of(String key, long revision, HasMetadata object) {
        return new CachedObject(key, revision, object);
    }

    /**
     * What a write just stored at {@code revision}: {@code stored}, the value written, with the revision stamped in,
     * and {@code object}, the object it encodes (its resourceVersion already set), kept decoded.
     */
    public static CachedObject written(String key, long revision, HasMetadata object, byte[] stored) {
        byte[] stamped = ResourceVersionStamp.stamp(stored, revision);
        if (stamped == null) {
            return new CachedObject(key, revision, object);
        }
        CachedObject written = new CachedObject(key, revision, object.getClass(), stamped);
        written.object = object;
        return written;
    }

    /**
     * A stored value with the revision as its resourceVersion. Values the registry wrote get it stamped into their
     * bytes; anything else (a value that already carries one) is decoded, given it and encoded again.
     */
    public static CachedObject decode(String key, byte[] value, long revision, Class<? extends HasMetadata> type) {
        byte[] stamped = ResourceVersionStamp.stamp(value, revision);
        if (stamped != null) {
            return new CachedObject(key, revision, type, stamped);
        }
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
        released = true;
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
        if (decoded == null) {
            decoded = Json.read(json, type);
            if (!released) {
                object = decoded;
            }
        }
        return decoded;
    }

    public byte[] json() {
        return json;
    }

    /** The labels, decoded once. */
    public Map<String, String> labels() {
        Map<String, String> known = labels;
        if (known == null) {
            Map<String, String> decoded = object().getMetadata().getLabels();
            known = decoded == null ? Map.of() : decoded;
            labels = known;
        }
        return known;
    }

    /** The selectable fields, computed once by {@code extract} (always the same function for one stored type). */
    public Map<String, String> fields(Function<HasMetadata, Map<String, String>> extract) {
        Map<String, String> known = fields;
        if (known == null) {
            known = extract.apply(object());
            fields = known;
        }
        return known;
    }
}
