package dev.timon.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apimachinery.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Merges an applied configuration into the live object: maps and structs field by field, associative lists entry by
 * entry (matched by key or value), everything else (scalars, atomic values) replaced by the configuration.
 */
final class Merger {

    private Merger() {
    }

    /** A new tree; neither input is changed. */
    static ObjectNode merge(ObjectNode live, ObjectNode config, Shape shape) {
        ObjectNode out = live.deepCopy();
        config.properties().forEach(e ->
                out.set(e.getKey(), value(live.get(e.getKey()), e.getValue(), shape.field(e.getKey()))));
        return out;
    }

    private static JsonNode value(JsonNode live, JsonNode config, Shape shape) {
        if (live == null || shape.isLeaf(config) || shape.isLeaf(live) || live.getNodeType() != config.getNodeType()) {
            return config.deepCopy();
        }
        return live.isObject() ? merge((ObjectNode) live, (ObjectNode) config, shape) : list(live, config, shape);
    }

    /**
     * Upstream's order: entries only the live list has keep their place among the live entries, the configuration's
     * entries come in its order (each merged with its live twin), and a shared entry is emitted where the
     * configuration puts it, unless it is the next one due when the live list reaches it.
     */
    private static ArrayNode list(JsonNode live, JsonNode config, Shape shape) {
        Map<PathElement, JsonNode> liveEntries = shape.entries(live);
        Map<PathElement, JsonNode> configEntries = shape.entries(config);
        if (configEntries.size() != config.size()) {
            throw ApplyErrors.invalid("duplicate entries in associative list: " + config);
        }
        List<PathElement> liveOrder = new ArrayList<>(liveEntries.keySet());
        List<PathElement> configOrder = new ArrayList<>(configEntries.keySet());
        Iterator<PathElement> shared = configOrder.stream().filter(liveEntries::containsKey).iterator();
        PathElement nextShared = shared.hasNext() ? shared.next() : null;
        Shape entryShape = shape.element();
        ArrayNode out = Json.MAPPER.createArrayNode();
        int l = 0;
        int c = 0;
        while (l < liveOrder.size() || c < configOrder.size()) {
            PathElement liveHead = l < liveOrder.size() ? liveOrder.get(l) : null;
            PathElement configHead = c < configOrder.size() ? configOrder.get(c) : null;
            if (liveHead != null && !configEntries.containsKey(liveHead)) {
                out.add(liveEntries.get(liveHead).deepCopy());
                l++;
            } else if (liveHead != null && !liveHead.equals(configHead) && (configHead == null || !liveHead.equals(nextShared))) {
                // A shared entry placed (or to be placed) by the configuration's order.
                l++;
            } else {
                out.add(value(liveEntries.get(configHead), configEntries.get(configHead), entryShape));
                if (configHead.equals(liveHead)) {
                    l++;
                }
                if (configHead.equals(nextShared)) {
                    nextShared = shared.hasNext() ? shared.next() : null;
                }
                c++;
            }
        }
        return out;
    }
}
