package dev.timon.apiserver;

import dev.timon.controlplane.TestControlPlane;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A fabric8 informer that reads its watch too slowly for the write load (real API server, real WebSocket) is cut
 * off as a slow reader, resumes or lists again, and still ends up holding exactly what the server holds: no event
 * lost across the cut-offs, as the controllers' informers rely on. (On the 2-core development machine the server
 * closed this informer's watch twice per run, as its log shows; a faster writer only makes that more likely.)
 */
class SlowInformerTest {

    private static final String NS = "slow-informer";

    @Test
    void aSlowInformerConvergesToTheServersState() throws Exception {
        try (KubernetesClient client = TestControlPlane.get().newClient()) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                    .serverSideApply();
            SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace(NS).runnableInformer(0);
            // Indexers run as the informer stores each event, before it reads the next one: 5 ms each makes a
            // reader of at most 200 events/s.
            informer.addIndexers(Map.of("slow", cm -> {
                sleep(5);
                return List.of();
            }));
            informer.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
            try {
                String data = "x".repeat(32_000);
                write(800, i -> client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder()
                        .withNewMetadata().withName("cm-" + i).endMetadata().addToData("v", "1" + data).build()).create());
                write(800, i -> client.configMaps().inNamespace(NS).withName("cm-" + i)
                        .edit(cm -> new ConfigMapBuilder(cm).addToData("v", "2" + data).build()));
                write(400, i -> client.configMaps().inNamespace(NS).withName("cm-" + (2 * i)).delete());

                Map<String, String> server = versions(client.configMaps().inNamespace(NS).list().getItems());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!server.equals(versions(informer.getStore().list())) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertEquals(400, server.size());
                assertEquals(server, versions(informer.getStore().list()));
            } finally {
                informer.close();
            }
        }
    }

    /** Name to resourceVersion. */
    private static Map<String, String> versions(List<ConfigMap> items) {
        return items.stream().collect(Collectors.toMap(cm -> cm.getMetadata().getName(),
                cm -> cm.getMetadata().getResourceVersion(), (a, b) -> a, TreeMap::new));
    }

    private interface Write {
        void run(int i) throws Exception;
    }

    /** Runs {@code write} for 0..count-1, 16 at a time. */
    private static void write(int count, Write write) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                writes.add(pool.submit(() -> {
                    write.run(n);
                    return null;
                }));
            }
            for (Future<?> w : writes) {
                w.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
