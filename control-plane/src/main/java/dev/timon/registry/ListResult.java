package dev.timon.registry;

import dev.timon.storage.CachedObject;

import java.util.List;

/** A page of a list with the revision it reflects and the token for the next page ("" when none). */
public record ListResult(List<CachedObject> items, long revision, String continueToken) {
}
