package dev.timon.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

import java.nio.charset.StandardCharsets;

/**
 * Hashes of pod templates for the pod-template-hash (Deployment) and controller-revision-hash (DaemonSet,
 * StatefulSet) labels: FNV-32a of the template (plus the collision count) written with upstream's
 * SafeEncodeString alphabet, and template equality that ignores the pod-template-hash label. Upstream hashes
 * a StatefulSet's ControllerRevision data; Timon hashes the template for both kinds, which names the same thing.
 */
public final class TemplateHash {

    public static final String POD_TEMPLATE_HASH_LABEL = "pod-template-hash";
    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TemplateHash() {
    }

    public static String of(PodTemplateSpec template) {
        return of(template, null);
    }

    public static String of(PodTemplateSpec template, Integer collisionCount) {
        byte[] json = canonical(template).toString().getBytes(StandardCharsets.UTF_8);
        int hash = 0x811c9dc5;
        for (byte b : json) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        if (collisionCount != null) {
            for (byte b : Integer.toString(collisionCount).getBytes(StandardCharsets.UTF_8)) {
                hash ^= b & 0xff;
                hash *= 0x01000193;
            }
        }
        String decimal = Long.toString(Integer.toUnsignedLong(hash));
        StringBuilder encoded = new StringBuilder();
        for (char c : decimal.toCharArray()) {
            encoded.append(ALPHANUMS.charAt(c % ALPHANUMS.length()));
        }
        return encoded.toString();
    }

    /** Whether two templates are the same apart from the pod-template-hash label. */
    public static boolean equalIgnoringHash(PodTemplateSpec a, PodTemplateSpec b) {
        return canonical(a).equals(canonical(b));
    }

    private static JsonNode canonical(PodTemplateSpec template) {
        JsonNode tree = MAPPER.valueToTree(template);
        JsonNode labels = tree.path("metadata").path("labels");
        if (labels instanceof ObjectNode labelObject) {
            labelObject.remove(POD_TEMPLATE_HASH_LABEL);
            if (labelObject.isEmpty()) {
                ((ObjectNode) tree.get("metadata")).remove("labels");
            }
        }
        return withoutZeroValues(tree);
    }

    /**
     * Drops null, false, 0, "" and empty objects and lists: upstream compares Go structs, where such a field and a
     * missing one are the same, and clients differ in which of them they send.
     */
    private static JsonNode withoutZeroValues(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            var names = new java.util.ArrayList<String>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode child = withoutZeroValues(object.get(name));
                if (isZero(child)) {
                    object.remove(name);
                } else {
                    object.set(name, child);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, withoutZeroValues(node.get(i)));
            }
        }
        return node;
    }

    private static boolean isZero(JsonNode node) {
        return node.isNull() || (node.isBoolean() && !node.booleanValue()) || (node.isNumber() && node.asDouble() == 0)
                || (node.isTextual() && node.textValue().isEmpty()) || (node.isContainerNode() && node.isEmpty());
    }
}
