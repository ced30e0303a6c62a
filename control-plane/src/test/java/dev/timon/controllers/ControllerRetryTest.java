package dev.timon.controllers;

import dev.timon.controlplane.TestControlPlane;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The work queue's retries against a real API server: a reconcile that fails is retried with back-off, except when
 * its write failed because the namespace is being deleted, which upstream's controllers drop (retrying would fail
 * the same way until the namespace, and the object with it, are gone).
 */
class ControllerRetryTest {

    private static final String NAMESPACE = "controller-retry";

    @Test
    void aWriteRefusedForATerminatingNamespaceIsNotRetriedWhileOtherFailuresAre() throws Exception {
        try (KubernetesClient client = TestControlPlane.get().newClient()) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                    .build()).create();
            // A finalizer no one removes keeps one object, and so the namespace, in deletion.
            client.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("held").withFinalizers("timon.dev/test-hold").endMetadata().build()).create();
            client.namespaces().withName(NAMESPACE).delete();

            Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
            try (Controller controller = new Controller("retry-test", 1) {
                @Override
                protected void reconcile(String key) {
                    attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                    if (key.equals("terminating")) {
                        // On another thread, as the ReplicaSet controller creates its pods: the refusal arrives wrapped.
                        CompletableFuture.runAsync(() -> client.configMaps().inNamespace(NAMESPACE).resource(
                                new ConfigMapBuilder().withNewMetadata().withName("late").endMetadata().build()).create())
                                .join();
                    }
                    throw new IllegalStateException("failing " + key);
                }
            }) {
                controller.start();
                controller.queue.add("terminating");
                controller.queue.add("other");
                // The default rate limiter retries after 5, 10, 20, 40 ms...: several times in this window.
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (attempts.getOrDefault("other", new AtomicInteger()).get() < 5 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                Thread.sleep(1_000);
            } finally {
                client.configMaps().inNamespace(NAMESPACE).withName("held")
                        .edit(cm -> new ConfigMapBuilder(cm).editMetadata().withFinalizers(List.of()).endMetadata().build());
            }
            assertEquals(1, attempts.get("terminating").get(), "a write refused for a terminating namespace is dropped");
            assertTrue(attempts.get("other").get() >= 5);
        }
    }
}
