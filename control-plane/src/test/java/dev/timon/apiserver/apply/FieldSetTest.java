package dev.timon.apiserver.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apimachinery.Json;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.timon.apiserver.apply.TestObjects.deployment;
import static dev.timon.apiserver.apply.TestObjects.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldSetTest {

    /** The fieldsV1 of kubectl's Apply entry for a Deployment, as a real API server writes it. */
    private static final String UPSTREAM_FIELDS = "{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},\"f:spec\":{"
            + "\"f:replicas\":{},\"f:selector\":{},\"f:template\":{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},"
            + "\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\".\":{},\"f:image\":{},\"f:name\":{},"
            + "\"f:ports\":{\"k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},\"f:containerPort\":{}}}}}}}}}";

    @Test
    void fieldsV1RoundTripsInUpstreamForm() {
        FieldSet set = FieldSet.fromFieldsV1(json(UPSTREAM_FIELDS));

        assertEquals(UPSTREAM_FIELDS, Json.string(set.toFieldsV1()));
    }

    @Test
    void fieldsV1IsWrittenInUpstreamOrderWhateverTheInputOrder() {
        FieldSet set = FieldSet.fromFieldsV1(json("""
                {"v:\\"b\\"":{},"k:{\\"type\\":\\"Ready\\"}":{},"f:z":{},"f:a":{}}"""));

        assertEquals("{\"f:a\":{},\"f:z\":{},\"k:{\\\"type\\\":\\\"Ready\\\"}\":{},\"v:\\\"b\\\"\":{}}", Json.string(set.toFieldsV1()));
    }

    @Test
    void deploymentContributesLeavesListEntriesWithDefaultedKeysAndAtomicSelector() {
        ObjectNode manifest = deployment(2, "nginx:1.27");
        ObjectNode metadata = (ObjectNode) manifest.get("metadata");
        metadata.remove("name");
        metadata.remove("namespace");
        manifest.remove("apiVersion");
        manifest.remove("kind");

        assertEquals(json(UPSTREAM_FIELDS), FieldSet.of(manifest, Deployment.class).toFieldsV1());
    }

    @Test
    void finalizersAreOwnedByValue() {
        FieldSet set = FieldSet.of(json("""
                {"metadata":{"finalizers":["example.com/a"]}}"""), ConfigMap.class);

        assertEquals(json("{\"f:metadata\":{\"f:finalizers\":{\"v:\\\"example.com/a\\\"\":{}}}}"), set.toFieldsV1());
    }

    @Test
    void atomicListsAndEmptyMapsAreLeaves() {
        FieldSet set = FieldSet.of(json("""
                {"spec":{"containers":[{"name":"c","args":["a","b"],"resources":{}}]}}"""), Pod.class);

        assertEquals(json("""
                {"f:spec":{"f:containers":{"k:{\\"name\\":\\"c\\"}":{".":{},"f:args":{},"f:name":{},"f:resources":{}}}}}"""),
                set.toFieldsV1());
    }

    @Test
    void unionIntersectionAndDifference() {
        FieldSet a = FieldSet.fromFieldsV1(json("{\"f:data\":{\"f:x\":{},\"f:y\":{}}}"));
        FieldSet b = FieldSet.fromFieldsV1(json("{\"f:data\":{\"f:y\":{},\"f:z\":{}}}"));

        assertEquals(json("{\"f:data\":{\"f:x\":{},\"f:y\":{},\"f:z\":{}}}"), a.union(b).toFieldsV1());
        assertEquals(json("{\"f:data\":{\"f:y\":{}}}"), a.intersection(b).toFieldsV1());
        assertEquals(json("{\"f:data\":{\"f:x\":{}}}"), a.difference(b).toFieldsV1());
        assertTrue(a.difference(a).isEmpty());
    }

    @Test
    void recursiveDifferenceDropsEverythingBelowAMember() {
        FieldSet set = FieldSet.fromFieldsV1(json("{\"f:spec\":{\"f:replicas\":{}},\"f:status\":{\"f:replicas\":{}}}"));
        FieldSet status = FieldSet.fromFieldsV1(json("{\"f:status\":{}}"));

        assertEquals(json("{\"f:spec\":{\"f:replicas\":{}}}"), set.recursiveDifference(status).toFieldsV1());
        assertEquals(set, set.difference(status));
    }

    @Test
    void pathsPrintAsInConflictMessages() {
        FieldSet set = FieldSet.fromFieldsV1(json(UPSTREAM_FIELDS));

        List<String> paths = set.paths().stream().map(Path::toString).toList();

        assertTrue(paths.contains(".spec.replicas"));
        assertTrue(paths.contains(".spec.template.spec.containers[name=\"nginx\"].image"));
        assertTrue(paths.contains(".spec.template.spec.containers[name=\"nginx\"].ports[containerPort=80,protocol=\"TCP\"]"));
        assertFalse(paths.contains(".spec"));
    }
}
