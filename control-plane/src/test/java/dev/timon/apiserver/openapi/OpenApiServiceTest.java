package dev.timon.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.timon.registry.resources.BuiltinResources;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenApiServiceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final OpenApiService SERVICE = new OpenApiService(BuiltinResources.registry());

    private static JsonNode document(String path) throws IOException {
        return MAPPER.readTree(SERVICE.v3Document(path).orElseThrow());
    }

    private static JsonNode schema(JsonNode document, String name) {
        JsonNode schema = document.path("components").path("schemas").path(name);
        assertTrue(schema.isObject(), name + " is missing");
        return schema;
    }

    @Test
    void deploymentPatchAdvertisesServerSideFieldValidation() throws IOException {
        JsonNode patch = document("apis/apps/v1").path("paths")
                .path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}").path("patch");
        assertEquals("patch", patch.path("x-kubernetes-action").asText());
        assertEquals(MAPPER.readTree("{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"}"),
                patch.path("x-kubernetes-group-version-kind"));
        Set<String> parameters = new HashSet<>();
        patch.path("parameters").forEach(p -> parameters.add(p.path("name").asText()));
        assertTrue(parameters.containsAll(Set.of("dryRun", "fieldManager", "fieldValidation", "force")), parameters.toString());
        JsonNode content = patch.path("requestBody").path("content");
        for (String type : GroupVersionApi.PATCH_TYPES) {
            assertTrue(content.has(type), type);
        }
    }

    @Test
    void deploymentSpecIsDocumentedWithTypedProperties() throws IOException {
        JsonNode spec = schema(document("apis/apps/v1"), "io.k8s.api.apps.v1.DeploymentSpec");
        assertFalse(spec.path("description").asText().isEmpty());
        JsonNode properties = spec.path("properties");
        assertEquals("integer", properties.path("replicas").path("type").asText());
        assertEquals("int32", properties.path("replicas").path("format").asText());
        assertEquals("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector",
                properties.path("selector").path("allOf").path(0).path("$ref").asText());
        for (String field : new String[] {"replicas", "selector", "template", "strategy"}) {
            assertFalse(properties.path(field).path("description").asText().isEmpty(), field);
        }
        assertTrue(StreamSupport.stream(spec.path("required").spliterator(), false)
                .anyMatch(n -> n.asText().equals("selector")));
        assertEquals("retainKeys", properties.path("strategy").path("x-kubernetes-patch-strategy").asText());
    }

    @Test
    void containersAreMergedByName() throws IOException {
        JsonNode containers = schema(document("api/v1"), "io.k8s.api.core.v1.PodSpec").path("properties").path("containers");
        assertEquals("array", containers.path("type").asText());
        assertEquals("name", containers.path("x-kubernetes-patch-merge-key").asText());
        assertEquals("merge", containers.path("x-kubernetes-patch-strategy").asText());
        assertEquals("map", containers.path("x-kubernetes-list-type").asText());
        assertEquals("#/components/schemas/io.k8s.api.core.v1.Container", containers.path("items").path("$ref").asText());
    }

    @Test
    void intOrStringAndQuantityLookLikeUpstream() throws IOException {
        JsonNode document = document("apis/apps/v1");
        JsonNode maxSurge = schema(document, "io.k8s.api.apps.v1.RollingUpdateDeployment").path("properties").path("maxSurge");
        assertTrue(maxSurge.path("x-kubernetes-int-or-string").asBoolean());
        assertEquals("#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString",
                maxSurge.path("allOf").path(0).path("$ref").asText());
        assertEquals("string", schema(document, "io.k8s.apimachinery.pkg.api.resource.Quantity").path("type").asText());
        JsonNode limits = schema(document, "io.k8s.api.core.v1.ResourceRequirements").path("properties").path("limits");
        assertEquals("#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity",
                limits.path("additionalProperties").path("$ref").asText());
    }

    @Test
    void metadataTimestampsAndLabelsAreTyped() throws IOException {
        JsonNode meta = schema(document("api/v1"), "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").path("properties");
        assertEquals("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time",
                meta.path("creationTimestamp").path("allOf").path(0).path("$ref").asText());
        assertEquals("string", meta.path("labels").path("additionalProperties").path("type").asText());
        assertFalse(meta.has("additionalProperties"), "fabric8's catch-all map is no field");
        JsonNode secretData = schema(document("api/v1"), "io.k8s.api.core.v1.Secret").path("properties").path("data");
        assertEquals("byte", secretData.path("additionalProperties").path("format").asText());
    }

    @Test
    void indexListsEveryServedGroupVersionWithItsHash() {
        JsonNode paths = SERVICE.v3Index().path("paths");
        for (String path : new String[] {"api/v1", "apis/apps/v1", "apis/batch/v1", "apis/coordination.k8s.io/v1",
                "apis/discovery.k8s.io/v1", "apis/events.k8s.io/v1"}) {
            assertEquals("/openapi/v3/" + path + "?hash=" + SERVICE.hash(path),
                    paths.path(path).path("serverRelativeURL").asText(), path);
            assertTrue(SERVICE.hash(path).matches("[0-9A-F]{128}"));
        }
        assertTrue(SERVICE.v3Document("apis/nope/v1").isEmpty());
    }

    @Test
    void kindsCarryTheirGroupVersionKind() throws IOException {
        JsonNode document = document("apis/apps/v1");
        assertEquals("Deployment", schema(document, "io.k8s.api.apps.v1.Deployment")
                .path("x-kubernetes-group-version-kind").path(0).path("kind").asText());
        assertEquals("Scale", schema(document, "io.k8s.api.autoscaling.v1.Scale")
                .path("x-kubernetes-group-version-kind").path(0).path("kind").asText());
        assertTrue(document.path("paths").has("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"));
    }
}
