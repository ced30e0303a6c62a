package dev.timon.apiserver.openapi;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A group/version/kind, as the x-kubernetes-group-version-kind extension spells it. */
record Gvk(String group, String version, String kind) {

    ObjectNode toJson() {
        return JsonNodeFactory.instance.objectNode().put("group", group).put("kind", kind).put("version", version);
    }
}
