package dev.timon.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Writes scheduling decisions: POST pods/binding asynchronously with a bound on requests in flight (so a burst of
 * decisions queues here rather than in the API server), and the PodScheduled=False condition of pods that fit
 * nowhere.
 */
final class Binder implements AutoCloseable {

    private static final long BIND_TIMEOUT_SECONDS = 30;

    private final KubernetesClient client;
    private final HttpClient http;
    private final Semaphore inFlight;
    private final ExecutorService statusWriter = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "scheduler-status");
        thread.setDaemon(true);
        return thread;
    });

    Binder(KubernetesClient client, int maxInFlight) {
        this.client = client;
        this.http = client.getHttpClient();
        this.inFlight = new Semaphore(maxInFlight);
    }

    CompletableFuture<Void> bind(Pod pod, String node) {
        String namespace = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        String body = "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"" + namespace + "\",\"uid\":\"" + pod.getMetadata().getUid()
                + "\"},\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"" + node + "\"}}";
        URI uri = URI.create(client.getMasterUrl().toString().replaceAll("/$", "")
                + "/api/v1/namespaces/" + namespace + "/pods/" + name + "/binding");
        // Bounded, so a request that never completes cannot hold its in-flight slot forever: the pod is retried.
        HttpRequest request = http.newHttpRequestBuilder().uri(uri).timeout(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .post("application/json", body).build();
        inFlight.acquireUninterruptibly();
        return http.sendAsync(request, String.class).whenComplete((r, e) -> inFlight.release()).thenAccept(response -> {
            if (!response.isSuccessful()) {
                throw new IllegalStateException("binding returned " + response.code() + ": " + response.body());
            }
        });
    }

    /** Records why the pod waits, as upstream does in its PodScheduled condition. */
    void markUnschedulable(Pod pod, String message) {
        statusWriter.execute(() -> {
            try {
                Pod copy = client.getKubernetesSerialization().clone(pod);
                List<PodCondition> conditions = new ArrayList<>();
                if (copy.getStatus().getConditions() != null) {
                    copy.getStatus().getConditions().stream().filter(c -> !"PodScheduled".equals(c.getType()))
                            .forEach(conditions::add);
                }
                conditions.add(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                        .withReason("Unschedulable").withMessage(message)
                        .withLastTransitionTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()).build());
                copy.getStatus().setConditions(conditions);
                copy.getStatus().setPhase("Pending");
                client.pods().resource(copy).updateStatus();
            } catch (RuntimeException e) {
                // A newer pod version will fail scheduling again and rewrite this.
            }
        });
    }

    @Override
    public void close() {
        statusWriter.shutdownNow();
    }

}
