package dev.timon.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Orders the result of a merged list the way upstream strategic merge patch does: the entries named by the patch
 * (or by its {@code $setElementOrder} list) follow the patch's order, entries only the server had keep the server's
 * order, and the two runs are interleaved so that a server-only entry stays in front of a patch entry it preceded
 * on the server.
 */
final class ElementOrder {

    /** What identifies a list entry: its merge-key value for lists of objects, the value itself for primitives. */
    private final Function<JsonNode, JsonNode> identity;

    ElementOrder(String mergeKey) {
        this.identity = mergeKey.isEmpty() ? value -> value : value -> value.get(mergeKey);
    }

    /**
     * @param merged      the merged entries, in any order
     * @param patchOrder  the order the patch asks for
     * @param serverOrder the entries as the server had them
     */
    List<JsonNode> apply(List<JsonNode> merged, List<JsonNode> patchOrder, List<JsonNode> serverOrder) {
        List<JsonNode> fromPatch = new ArrayList<>();
        List<JsonNode> serverOnly = new ArrayList<>();
        for (JsonNode entry : merged) {
            (indexOf(patchOrder, entry) >= 0 ? fromPatch : serverOnly).add(entry);
        }
        fromPatch.sort(byIndexIn(patchOrder));
        serverOnly.sort(byIndexIn(serverOrder));
        return interleave(serverOnly, fromPatch, serverOrder);
    }

    private List<JsonNode> interleave(List<JsonNode> serverOnly, List<JsonNode> fromPatch, List<JsonNode> serverOrder) {
        List<JsonNode> result = new ArrayList<>(serverOnly.size() + fromPatch.size());
        int s = 0;
        int p = 0;
        while (s < serverOnly.size() || p < fromPatch.size()) {
            if (p >= fromPatch.size() || s < serverOnly.size() && serverBefore(serverOnly.get(s), fromPatch.get(p), serverOrder)) {
                result.add(serverOnly.get(s++));
            } else {
                result.add(fromPatch.get(p++));
            }
        }
        return result;
    }

    /** A server-only entry goes first only when both were on the server and it came first there. */
    private boolean serverBefore(JsonNode serverEntry, JsonNode patchEntry, List<JsonNode> serverOrder) {
        int serverIndex = indexOf(serverOrder, serverEntry);
        int patchIndex = indexOf(serverOrder, patchEntry);
        return serverIndex >= 0 && patchIndex >= 0 && serverIndex < patchIndex;
    }

    /** Entries missing from {@code order} sort last, keeping their relative order. */
    private Comparator<JsonNode> byIndexIn(List<JsonNode> order) {
        return Comparator.comparingInt(entry -> {
            int index = indexOf(order, entry);
            return index < 0 ? Integer.MAX_VALUE : index;
        });
    }

    private int indexOf(List<JsonNode> list, JsonNode entry) {
        JsonNode id = identity.apply(entry);
        if (id == null) {
            return -1;
        }
        for (int i = 0; i < list.size(); i++) {
            if (id.equals(identity.apply(list.get(i)))) {
                return i;
            }
        }
        return -1;
    }
}
