package dev.timon.registry;

import dev.timon.apimachinery.FieldSelector;
import dev.timon.apimachinery.LabelSelector;

/**
 * A list's options: selectors, paging and which resourceVersion the answer must reflect.
 *
 * @param resourceVersion ""/null: the newest (a consistent read); "0": whatever the cache holds;
 *                        "N": at least as new as N
 */
public record ListRequest(String namespace, LabelSelector labels, FieldSelector fields, int limit,
                          String continueToken, String resourceVersion) {
}
