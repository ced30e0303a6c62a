package dev.timon.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apimachinery.Json;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.timon.apiserver.apply.TestObjects.LATER;
import static dev.timon.apiserver.apply.TestObjects.TIME;
import static dev.timon.apiserver.apply.TestObjects.deployment;
import static dev.timon.apiserver.apply.TestObjects.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kubectl apply -f} followed by {@code kubectl apply --server-side -f}, request by request. */
class ClientSideApplyMigrationTest {

    private static final String CSA = "kubectl-client-side-apply";

    /** What {@code kubectl apply -f} creates: the manifest plus its last-applied annotation. */
    private static ObjectNode createdByClientSideApply(int replicas) {
        ObjectNode manifest = deployment(replicas, "nginx:1.27");
        ObjectNode annotated = manifest.deepCopy();
        ((ObjectNode) annotated.get("metadata")).putObject("annotations")
                .put(ServerSideApply.LAST_APPLIED, Json.string(manifest) + "\n");
        ManagedFields.recordUpdate(null, annotated, Deployment.class, CSA, "Update", "apps/v1", TIME);
        return annotated;
    }

    /** kubectl's second request: only the annotation, owned by a separate applier so that it survives. */
    private static ObjectNode lastAppliedOnly(ObjectNode live) {
        ObjectNode request = json("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default","annotations":{}}}""");
        ((ObjectNode) request.path("metadata").path("annotations"))
                .set(ServerSideApply.LAST_APPLIED, live.path("metadata").path("annotations").path(ServerSideApply.LAST_APPLIED));
        return request;
    }

    @Test
    void serverSideApplyOfTheSameManifestSucceedsAndSharesOwnership() {
        ObjectNode live = createdByClientSideApply(2);

        ServerSideApply.Result result = ServerSideApply.apply(live, deployment(2, "nginx:1.27"), Deployment.class,
                "kubectl", false, LATER);

        List<String> managers = result.managedFields().stream().map(e -> e.path("manager").asText()).toList();
        assertEquals(List.of("kubectl", CSA), managers);
        assertEquals(2, result.merged().path("spec").path("replicas").asInt());
    }

    @Test
    void aChangedValueStillMatchingLastAppliedIsTakenOverWithoutConflict() {
        ObjectNode live = createdByClientSideApply(2);

        ServerSideApply.Result result = ServerSideApply.apply(live, deployment(4, "nginx:1.27"), Deployment.class,
                "kubectl", false, LATER);

        assertEquals(4, result.merged().path("spec").path("replicas").asInt());
        JsonNode csa = result.managedFields().get(1);
        assertEquals(CSA, csa.path("manager").asText());
        assertTrue(csa.path("fieldsV1").path("f:spec").path("f:replicas").isMissingNode());
    }

    @Test
    void theLastAppliedAnnotationFollowsServerSideApplies() {
        ObjectNode live = createdByClientSideApply(2);

        ServerSideApply.Result result = ServerSideApply.apply(live, deployment(4, "nginx:1.27"), Deployment.class,
                "kubectl", false, LATER);

        String annotation = result.merged().path("metadata").path("annotations").path(ServerSideApply.LAST_APPLIED).asText();
        assertEquals(4, json(annotation).path("spec").path("replicas").asInt());
    }

    @Test
    void theFullKubectlSequenceEndsWithKubectlOwningTheManifest() {
        ObjectNode live = createdByClientSideApply(2);
        ServerSideApply.Result applied = ServerSideApply.apply(live, deployment(2, "nginx:1.27"), Deployment.class,
                "kubectl", false, LATER);
        ServerSideApply.Result annotation = ServerSideApply.apply(applied.merged(), lastAppliedOnly(applied.merged()),
                Deployment.class, "kubectl-last-applied", false, LATER);

        // kubectl's json patch to metadata.managedFields: the client-side-apply entry folded into kubectl's.
        ObjectNode migrated = annotation.merged().deepCopy();
        ArrayNode entries = (ArrayNode) migrated.path("metadata").path("managedFields");
        ObjectNode kubectl = (ObjectNode) entries.get(0);
        FieldSet csaFields = FieldSet.fromFieldsV1(entries.get(2).get("fieldsV1"));
        assertEquals(List.of("kubectl", "kubectl-last-applied", CSA),
                List.of(entries.get(0).path("manager").asText(), entries.get(1).path("manager").asText(),
                        entries.get(2).path("manager").asText()));
        kubectl.set("fieldsV1", FieldSet.fromFieldsV1(kubectl.get("fieldsV1")).union(csaFields).toFieldsV1());
        entries.remove(2);
        List<ObjectNode> recorded = ManagedFields.recordUpdate(annotation.merged(), migrated, Deployment.class,
                "kubectl", "Update", "apps/v1", LATER);
        assertEquals(List.of(entries.get(0), entries.get(1)), recorded);

        ServerSideApply.Result scaled = ServerSideApply.apply(migrated, deployment(7, "nginx:1.27"), Deployment.class,
                "kubectl", false, LATER);
        assertEquals(7, scaled.merged().path("spec").path("replicas").asInt());
        assertNotEquals("", scaled.merged().path("metadata").path("annotations").path(ServerSideApply.LAST_APPLIED).asText());
    }
}
