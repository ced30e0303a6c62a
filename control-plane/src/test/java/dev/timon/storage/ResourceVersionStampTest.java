package dev.timon.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.timon.apimachinery.Json;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The resourceVersion goes into the top-level metadata of stored bytes, or the bytes are left to a full decode. */
class ResourceVersionStampTest {

    private static String stamp(String json, long revision) {
        byte[] stamped = ResourceVersionStamp.stamp(json.getBytes(StandardCharsets.UTF_8), revision);
        return stamped == null ? null : new String(stamped, StandardCharsets.UTF_8);
    }

    @Test
    void theRevisionIsTheFirstFieldOfTheTopLevelMetadata() {
        assertEquals("{\"kind\":\"ConfigMap\",\"metadata\":{\"resourceVersion\":\"42\",\"name\":\"a\"},\"data\":{}}",
                stamp("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"},\"data\":{}}", 42));
        assertEquals("{\"metadata\" : {\"resourceVersion\":\"7\"}}", stamp("{\"metadata\" : {}}", 7));
    }

    @Test
    void aNestedMetadataAndLookalikeStringsAreSkipped() {
        // A pod template's metadata comes before the object's own here; strings hold quotes, braces and the key names.
        String json = "{\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"app\":\"w\"}}}},\"data\":{\"x\":\"\\\"metadata\\\":{\","
                + "\"metadata\":\"resourceVersion\"},\"metadata\":{\"name\":\"resourceVersion\",\"labels\":{\"resourceVersion\":\"1\"}}}";
        String stamped = stamp(json, 9);
        assertEquals(json.replace(",\"metadata\":{\"name\"", ",\"metadata\":{\"resourceVersion\":\"9\",\"name\""), stamped);
    }

    @Test
    void bytesThatAreNotAsTheRegistryWritesThemAreLeftToADecode() {
        assertNull(stamp("{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"3\"}}", 4), "already versioned");
        assertNull(stamp("{\"kind\":\"ConfigMap\"}", 4), "no metadata");
        assertNull(stamp("{\"metadata\":null}", 4), "metadata not an object");
        assertNull(stamp("[{\"metadata\":{}}]", 4), "not an object");
        assertNull(stamp("{\"metadata\":{\"name\":\"a", 4), "truncated");
    }

    @Test
    void aStampedObjectDecodesAsTheModelObjectWithItsVersion() {
        Deployment deployment = new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("ns")
                .addToLabels("app", "web").endMetadata().withNewSpec().withNewTemplate().withNewMetadata()
                .addToLabels("app", "web").endMetadata().endTemplate().endSpec().build();
        CachedObject cached = CachedObject.decode("/registry/deployments/ns/web", Json.bytes(deployment), 12, Deployment.class);
        Deployment decoded = (Deployment) cached.object();
        assertEquals("12", decoded.getMetadata().getResourceVersion());
        assertEquals(null, decoded.getSpec().getTemplate().getMetadata().getResourceVersion());
        deployment.getMetadata().setResourceVersion("12");
        assertEquals(deployment, decoded);
        assertEquals(deployment.getMetadata().getLabels(), cached.labels());
    }

    @Test
    void aValueAlreadyCarryingAVersionIsDecodedAndGivenTheRevision() {
        ConfigMap map = new ConfigMapBuilder().withNewMetadata().withName("a").withResourceVersion("3").endMetadata().build();
        CachedObject cached = CachedObject.decode("/registry/configmaps/ns/a", Json.bytes(map), 5, ConfigMap.class);
        assertEquals("5", cached.object().getMetadata().getResourceVersion());
        assertEquals("5", Json.read(cached.json(), ConfigMap.class).getMetadata().getResourceVersion());
    }
}
