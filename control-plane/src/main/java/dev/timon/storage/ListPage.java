package dev.timon.storage;

import java.util.List;

/** A range read at one etcd revision; {@code more} tells whether keys past the last one remain. */
public record ListPage(List<StoredValue> items, long revision, boolean more) {
}
