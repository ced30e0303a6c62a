package dev.timon.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Removes fields and list entries from an object. A map, struct or list emptied by the removal goes too, as it would
 * when upstream's Go types drop empty values on encoding.
 */
final class Pruner {

    private Pruner() {
    }

    /** Removes the members of {@code fields} from {@code object}, in place. */
    static void remove(ObjectNode object, FieldSet fields, Shape shape) {
        for (String name : fieldNames(object)) {
            PathElement element = PathElement.field(name);
            JsonNode value = object.get(name);
            if (fields.hasMember(element) || removeBelow(value, fields.child(element), shape.field(name))) {
                object.remove(name);
            }
        }
    }

    /** Prunes inside {@code value}; true when that emptied it. */
    private static boolean removeBelow(JsonNode value, FieldSet fields, Shape shape) {
        if (fields.isEmpty() || !value.isContainerNode() || value.isEmpty() || shape.isLeaf(value)) {
            return false;
        }
        if (value.isObject()) {
            remove((ObjectNode) value, fields, shape);
        } else {
            ArrayNode list = (ArrayNode) value;
            Shape entryShape = shape.element();
            for (int i = list.size() - 1; i >= 0; i--) {
                PathElement entry = shape.entry(list.get(i), i);
                if (fields.hasMember(entry) || removeBelow(list.get(i), fields.child(entry), entryShape)) {
                    list.remove(i);
                }
            }
        }
        return value.isEmpty();
    }

    private static List<String> fieldNames(ObjectNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
