package dev.timon.apiserver.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apimachinery.Json;

/** Test fixtures: JSON parsing and the Deployment most cases start from. */
final class TestObjects {

    static final String TIME = "2025-01-02T03:04:05Z";
    static final String LATER = "2025-01-02T03:05:00Z";

    private TestObjects() {
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad test JSON: " + text, e);
        }
    }

    /** A Deployment manifest as kubectl sends it, with the given replicas and image. */
    static ObjectNode deployment(int replicas, String image) {
        return json("""
                {"apiVersion":"apps/v1","kind":"Deployment",
                 "metadata":{"name":"web","namespace":"default","labels":{"app":"web"}},
                 "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"web"}},
                  "template":{"metadata":{"labels":{"app":"web"}},
                   "spec":{"containers":[{"name":"nginx","image":"%s","ports":[{"containerPort":80}]}]}}}}
                """.formatted(replicas, image));
    }
}
