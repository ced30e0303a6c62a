package dev.timon.storage;

/**
 * A condition a transaction checks before it writes: the key's mod revision must equal {@code modRevision};
 * a revision of 0 means the key must not exist.
 */
public record Precondition(String key, long modRevision) {

    public static Precondition absent(String key) {
        return new Precondition(key, 0);
    }
}
