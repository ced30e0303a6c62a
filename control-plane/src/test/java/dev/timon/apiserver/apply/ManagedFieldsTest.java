package dev.timon.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.timon.apiserver.apply.TestObjects.LATER;
import static dev.timon.apiserver.apply.TestObjects.TIME;
import static dev.timon.apiserver.apply.TestObjects.deployment;
import static dev.timon.apiserver.apply.TestObjects.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManagedFieldsTest {

    private static ObjectNode created(String manager) {
        ObjectNode object = deployment(2, "nginx:1.27");
        ((ObjectNode) object.get("metadata")).put("uid", "u-1").put("resourceVersion", "1");
        object.set("status", json("{\"replicas\":0}"));
        ManagedFields.recordUpdate(null, object, Deployment.class, manager, "Update", "apps/v1", TIME);
        return object;
    }

    private static ObjectNode scaled(ObjectNode live, int replicas) {
        ObjectNode after = live.deepCopy();
        ((ObjectNode) after.get("spec")).put("replicas", replicas);
        return after;
    }

    @Test
    void createOwnsEverySetFieldButIdentityAndStatus() {
        ObjectNode object = created("kubectl-create");

        JsonNode entries = object.path("metadata").path("managedFields");
        assertEquals(1, entries.size());
        JsonNode entry = entries.get(0);
        assertEquals(json("""
                {"manager":"kubectl-create","operation":"Update","apiVersion":"apps/v1","time":"%s","fieldsType":"FieldsV1",
                 "fieldsV1":%s}""".formatted(TIME, entry.get("fieldsV1"))), entry);
        FieldSet owned = FieldSet.fromFieldsV1(entry.get("fieldsV1"));
        List<String> paths = owned.paths().stream().map(Path::toString).toList();
        assertTrue(paths.contains(".spec.replicas"));
        assertTrue(paths.contains(".metadata.labels.app"));
        assertFalse(paths.stream().anyMatch(p -> p.startsWith(".status") || p.startsWith(".metadata.name")
                || p.startsWith(".metadata.uid") || p.startsWith(".apiVersion")));
    }

    @Test
    void anUpdateTakesTheChangedFieldsFromOtherManagers() {
        ObjectNode live = created("kubectl-create");
        ObjectNode after = scaled(live, 5);

        List<ObjectNode> entries = ManagedFields.recordUpdate(live, after, Deployment.class, "kubectl-scale", "Update",
                "apps/v1", LATER);

        assertEquals(List.of("kubectl-create", "kubectl-scale"), entries.stream().map(e -> e.path("manager").asText()).toList());
        assertEquals(json("{\"f:spec\":{\"f:replicas\":{}}}"), entries.get(1).get("fieldsV1"));
        assertFalse(entries.get(0).path("fieldsV1").path("f:spec").has("f:replicas"));
        assertEquals(entries.get(1), after.path("metadata").path("managedFields").get(1));
    }

    @Test
    void anUpdateChangingNothingLeavesManagedFieldsAlone() {
        ObjectNode live = created("kubectl-create");
        ObjectNode after = live.deepCopy();

        ManagedFields.recordUpdate(live, after, Deployment.class, "other", "Update", "apps/v1", LATER);

        assertEquals(live.path("metadata").path("managedFields"), after.path("metadata").path("managedFields"));
    }

    @Test
    void aStatusWriteIsRecordedForTheSubresource() {
        ObjectNode live = created("kubectl-create");
        ObjectNode after = live.deepCopy();
        after.set("status", json("{\"replicas\":2}"));

        List<ObjectNode> entries = ManagedFields.recordUpdate(live, after, Deployment.class, "kube-controller-manager",
                "Update", "apps/v1", LATER, "status");

        assertEquals(json("""
                {"manager":"kube-controller-manager","operation":"Update","apiVersion":"apps/v1","time":"%s",
                 "fieldsType":"FieldsV1","fieldsV1":{"f:status":{"f:replicas":{}}},"subresource":"status"}""".formatted(LATER)),
                entries.get(1));
    }

    @Test
    void managedFieldsSetByTheRequestReplaceTheStoredOnes() {
        ObjectNode live = created("kubectl-client-side-apply");
        ObjectNode after = live.deepCopy();
        ObjectNode upgraded = (ObjectNode) after.path("metadata").path("managedFields").get(0);
        upgraded.put("manager", "kubectl").put("operation", "Apply");

        List<ObjectNode> entries = ManagedFields.recordUpdate(live, after, Deployment.class, "kubectl", "Update", "apps/v1", LATER);

        assertEquals(List.of(upgraded), entries);
    }

    @Test
    void anEmptyListClearsManagedFields() {
        ObjectNode live = created("kubectl-create");
        ObjectNode after = scaled(live, 3);
        ((ObjectNode) after.get("metadata")).putArray("managedFields");

        List<ObjectNode> entries = ManagedFields.recordUpdate(live, after, Deployment.class, "x", "Update", "apps/v1", LATER);

        assertTrue(entries.isEmpty());
        assertFalse(after.path("metadata").has("managedFields"));
    }
}
