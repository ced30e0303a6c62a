package dev.timon.controllers;

import dev.timon.controlplane.TestControlPlane;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A status computed from a cached copy that another write has since overtaken still lands (real API server), as
 * upstream's controllers' status writes do, instead of failing with a conflict for the work queue to retry.
 * A Service stands in for the controllers' kinds: it has a status subresource and no controller writes it here.
 */
class StatusWritesTest {

    @Test
    void aStatusComputedFromAStaleCopyIsWrittenOnTheLatestOne() throws Exception {
        try (KubernetesClient client = TestControlPlane.get().newClient()) {
            Service cached = client.services().inNamespace("default").resource(new ServiceBuilder()
                    .withNewMetadata().withName("status-writes").endMetadata()
                    .withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();
            client.services().inNamespace("default").withName("status-writes")
                    .edit(s -> new ServiceBuilder(s).editMetadata().addToLabels("changed", "after-caching").endMetadata().build());
            Condition ready = new ConditionBuilder().withType("Ready").withStatus("True").withReason("Test")
                    .withMessage("written").withLastTransitionTime("2026-01-01T00:00:00Z").build();

            Service plain = client.getKubernetesSerialization().clone(cached);
            plain.setStatus(new ServiceStatus(List.of(ready), null));
            KubernetesClientException conflict = assertThrows(KubernetesClientException.class,
                    () -> client.resource(plain).updateStatus(), "the cached copy is stale");
            assertEquals(409, conflict.getCode());

            Service written = StatusWrites.update(client, cached, s -> s.setStatus(new ServiceStatus(List.of(ready), null)));

            Service stored = client.services().inNamespace("default").withName("status-writes").get();
            assertEquals(List.of(ready), stored.getStatus().getConditions());
            assertEquals(written.getMetadata().getResourceVersion(), stored.getMetadata().getResourceVersion());
            assertEquals(Map.of("changed", "after-caching"), stored.getMetadata().getLabels(), "the other write stays");
            assertTrue(cached.getStatus() == null || cached.getStatus().getConditions().isEmpty(),
                    "the cached copy is untouched");
        }
    }
}
