package dev.timon.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apimachinery.ApiException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.timon.apiserver.apply.TestObjects.LATER;
import static dev.timon.apiserver.apply.TestObjects.TIME;
import static dev.timon.apiserver.apply.TestObjects.deployment;
import static dev.timon.apiserver.apply.TestObjects.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerSideApplyTest {

    private static ServerSideApply.Result apply(ObjectNode live, ObjectNode applied, String manager, boolean force) {
        return ServerSideApply.apply(live, applied, Deployment.class, manager, force, TIME);
    }

    private static ServerSideApply.Result applyConfigMap(ObjectNode live, String data, String manager) {
        ObjectNode applied = json("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"default"},"data":%s}""".formatted(data));
        return ServerSideApply.apply(live, applied, ConfigMap.class, manager, false, TIME);
    }

    private static JsonNode entry(ServerSideApply.Result result, String manager) {
        return result.managedFields().stream().filter(e -> e.path("manager").asText().equals(manager)).findFirst()
                .orElseThrow(() -> new AssertionError("no entry for " + manager + " in " + result.managedFields()));
    }

    private static boolean owns(ServerSideApply.Result result, String manager, String fieldsV1Path) {
        JsonNode node = entry(result, manager).path("fieldsV1");
        for (String key : fieldsV1Path.split("/")) {
            node = node.path(key);
        }
        return !node.isMissingNode();
    }

    @Test
    void applyCreatesAMissingObjectOwnedByTheApplier() {
        ServerSideApply.Result result = apply(null, deployment(2, "nginx:1.27"), "kubectl", false);

        assertTrue(result.changed());
        assertEquals(2, result.merged().path("spec").path("replicas").asInt());
        assertEquals(1, result.managedFields().size());
        assertEquals(json("""
                {"manager":"kubectl","operation":"Apply","apiVersion":"apps/v1","time":"%s","fieldsType":"FieldsV1",
                 "fieldsV1":%s}""".formatted(TIME, FieldSet.of(stripIdentity(deployment(2, "nginx:1.27")), Deployment.class))),
                result.managedFields().get(0));
        assertEquals(result.managedFields().get(0), result.merged().path("metadata").path("managedFields").get(0));
    }

    @Test
    void reapplyingTheSameConfigurationChangesNothing() {
        ServerSideApply.Result first = apply(null, deployment(2, "nginx:1.27"), "kubectl", false);

        ServerSideApply.Result second = ServerSideApply.apply(first.merged(), deployment(2, "nginx:1.27"), Deployment.class,
                "kubectl", false, LATER);

        assertFalse(second.changed());
        assertEquals(first.merged(), second.merged());
    }

    @Test
    void aFieldDroppedFromTheConfigurationIsRemoved() {
        ServerSideApply.Result first = applyConfigMap(null, "{\"a\":\"1\",\"b\":\"2\"}", "tool");

        ServerSideApply.Result second = applyConfigMap(first.merged(), "{\"a\":\"1\"}", "tool");

        assertEquals(json("{\"a\":\"1\"}"), second.merged().get("data"));
        assertFalse(owns(second, "tool", "f:data/f:b"));
    }

    @Test
    void aDroppedFieldAnotherManagerAlsoOwnsStays() {
        ServerSideApply.Result first = applyConfigMap(null, "{\"a\":\"1\",\"b\":\"2\"}", "tool");
        ServerSideApply.Result shared = applyConfigMap(first.merged(), "{\"b\":\"2\"}", "other");

        ServerSideApply.Result result = applyConfigMap(shared.merged(), "{\"a\":\"1\"}", "tool");

        assertEquals(json("{\"a\":\"1\",\"b\":\"2\"}"), result.merged().get("data"));
        assertFalse(owns(result, "tool", "f:data/f:b"));
        assertTrue(owns(result, "other", "f:data/f:b"));
    }

    @Test
    void twoManagersOwningDifferentFieldsBothSurvive() {
        ServerSideApply.Result first = applyConfigMap(null, "{\"a\":\"1\"}", "alice");

        ServerSideApply.Result second = applyConfigMap(first.merged(), "{\"b\":\"2\"}", "bob");

        assertEquals(json("{\"a\":\"1\",\"b\":\"2\"}"), second.merged().get("data"));
        assertTrue(owns(second, "alice", "f:data/f:a"));
        assertTrue(owns(second, "bob", "f:data/f:b"));
    }

    @Test
    void changingAFieldAnotherApplierOwnsConflicts() {
        ServerSideApply.Result first = apply(null, deployment(2, "nginx:1.27"), "alice", false);

        ApiException e = assertThrows(ApiException.class, () -> apply(first.merged(), json("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":5}}"""), "bob", false));

        assertEquals(409, e.code());
        assertEquals("Conflict", e.reason());
        assertEquals("Apply failed with 1 conflict: conflict with \"alice\": .spec.replicas", e.getMessage());
        Status status = e.toStatus();
        StatusCause cause = status.getDetails().getCauses().get(0);
        assertEquals("FieldManagerConflict", cause.getReason());
        assertEquals(".spec.replicas", cause.getField());
        assertEquals("conflict with \"alice\"", cause.getMessage());
    }

    @Test
    void conflictsWithAnUpdaterNameItsApiVersion() {
        ObjectNode created = deployment(2, "nginx:1.27");
        ManagedFields.recordUpdate(null, created, Deployment.class, "kubectl-client-side-apply", "Update", "apps/v1", TIME);

        ApiException e = assertThrows(ApiException.class, () -> apply(created, json("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":5}}"""), "other", false));

        assertEquals("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas",
                e.getMessage());
        assertEquals("conflict with \"kubectl-client-side-apply\" using apps/v1",
                e.toStatus().getDetails().getCauses().get(0).getMessage());
    }

    @Test
    void severalConflictsAreListedByManager() {
        ServerSideApply.Result first = apply(null, deployment(2, "nginx:1.27"), "alice", false);

        ApiException e = assertThrows(ApiException.class, () -> apply(first.merged(), deployment(3, "nginx:1.28"), "bob", false));

        assertEquals("Apply failed with 2 conflicts: conflicts with \"alice\":\n- .spec.replicas\n"
                + "- .spec.template.spec.containers[name=\"nginx\"].image", e.getMessage());
    }

    @Test
    void forceMovesOwnershipToTheApplier() {
        ServerSideApply.Result first = apply(null, deployment(2, "nginx:1.27"), "alice", false);

        ServerSideApply.Result forced = apply(first.merged(), json("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":5}}"""), "bob", true);

        assertEquals(5, forced.merged().path("spec").path("replicas").asInt());
        assertTrue(owns(forced, "bob", "f:spec/f:replicas"));
        assertFalse(owns(forced, "alice", "f:spec/f:replicas"));
        assertTrue(owns(forced, "alice", "f:spec/f:template"));
    }

    @Test
    void applyingAnEqualValueSharesOwnership() {
        ServerSideApply.Result first = apply(null, deployment(2, "nginx:1.27"), "alice", false);

        ServerSideApply.Result second = apply(first.merged(), json("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":2}}"""), "bob", false);

        assertFalse(second.changed());
        assertTrue(owns(second, "alice", "f:spec/f:replicas"));
        assertTrue(owns(second, "bob", "f:spec/f:replicas"));
    }

    @Test
    void containersAreMergedByName() {
        ServerSideApply.Result first = apply(null, deployment(2, "nginx:1.27"), "alice", false);

        ServerSideApply.Result second = apply(first.merged(), json("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
                 "spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"}]}}}}"""), "bob", false);

        JsonNode containers = second.merged().path("spec").path("template").path("spec").path("containers");
        assertEquals(2, containers.size());
        assertEquals("nginx", containers.get(0).path("name").asText());
        assertEquals("nginx:1.27", containers.get(0).path("image").asText());
        assertEquals("sidecar", containers.get(1).path("name").asText());
        assertTrue(owns(second, "bob", "f:spec/f:template/f:spec/f:containers/k:{\"name\":\"sidecar\"}/f:image"));
    }

    @Test
    void aContainerDroppedByItsApplierIsRemoved() {
        ObjectNode twoContainers = deployment(2, "nginx:1.27");
        ((ArrayNode) twoContainers.path("spec").path("template").path("spec")
                .path("containers")).add(json("{\"name\":\"sidecar\",\"image\":\"busybox\"}"));
        ServerSideApply.Result first = apply(null, twoContainers, "alice", false);

        ServerSideApply.Result second = apply(first.merged(), deployment(2, "nginx:1.27"), "alice", false);

        JsonNode containers = second.merged().path("spec").path("template").path("spec").path("containers");
        assertEquals(1, containers.size());
        assertEquals("nginx", containers.get(0).path("name").asText());
    }

    @Test
    void atomicListsAreReplaced() {
        ObjectNode pod = json("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
                 "spec":{"containers":[{"name":"c","image":"busybox","args":["a","b"]}]}}""");
        ServerSideApply.Result first = ServerSideApply.apply(null, pod, Pod.class, "me", false, TIME);
        ((ObjectNode) pod.path("spec").path("containers").get(0)).set("args", json("{\"x\":[\"c\"]}").get("x"));

        ServerSideApply.Result second = ServerSideApply.apply(first.merged(), pod, Pod.class, "me", false, TIME);

        assertEquals(json("{\"x\":[\"c\"]}").get("x"), second.merged().path("spec").path("containers").get(0).get("args"));
    }

    @Test
    void managedFieldsOfAnUpdateThenAnApply() {
        ObjectNode created = deployment(2, "nginx:1.27");
        ManagedFields.recordUpdate(null, created, Deployment.class, "kubectl-create", "Update", "apps/v1", TIME);

        ServerSideApply.Result applied = ServerSideApply.apply(created, json("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"tier":"frontend"}}}"""),
                Deployment.class, "kubectl", false, LATER);

        assertEquals(List.of("kubectl", "kubectl-create"),
                applied.managedFields().stream().map(e -> e.path("manager").asText()).toList());
        assertEquals(json("""
                {"manager":"kubectl","operation":"Apply","apiVersion":"apps/v1","time":"%s","fieldsType":"FieldsV1",
                 "fieldsV1":{"f:metadata":{"f:labels":{"f:tier":{}}}}}""".formatted(LATER)), applied.managedFields().get(0));
        assertEquals("Update", applied.managedFields().get(1).path("operation").asText());
        assertEquals(TIME, applied.managedFields().get(1).path("time").asText());
        assertTrue(owns(applied, "kubectl-create", "f:spec/f:replicas"));
    }

    @Test
    void anUntrackedObjectIsOwnedByBeforeFirstApply() {
        ObjectNode live = deployment(2, "nginx:1.27");

        ApiException e = assertThrows(ApiException.class, () -> apply(live, deployment(3, "nginx:1.27"), "kubectl-x", false));

        assertEquals("Apply failed with 1 conflict: conflict with \"before-first-apply\" using apps/v1: .spec.replicas", e.getMessage());
    }

    @Test
    void managedFieldsInTheConfigurationAreRejected() {
        ObjectNode applied = deployment(2, "nginx:1.27");
        ((ObjectNode) applied.get("metadata")).putArray("managedFields");

        ApiException e = assertThrows(ApiException.class, () -> apply(null, applied, "kubectl", false));

        assertEquals(400, e.code());
        assertEquals("metadata.managedFields must be nil", e.getMessage());
    }

    private static ObjectNode stripIdentity(ObjectNode object) {
        object.remove("apiVersion");
        object.remove("kind");
        ((ObjectNode) object.get("metadata")).remove(List.of("name", "namespace"));
        return object;
    }
}
