package dev.timon.storage;

/** One key's value as etcd holds it; {@code modRevision} becomes the object's resourceVersion. */
public record StoredValue(String key, byte[] value, long modRevision) {
}
