package dev.timon.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A second real client: fabric8's kubernetes-client does CRUD, watches and runs an informer against Timon. */
class Fabric8ClientTest {

    private static KubernetesClient client;

    @BeforeAll
    static void connect() throws Exception {
        String kubeconfig = Files.readString(TestCluster.get().kubeconfig());
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("fabric8").endMetadata().build())
                .create();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    /**
     * client-go's RetryOnConflict: the deployment controller also writes the object (its revision annotation), so
     * an edit (read, then patch at that resourceVersion) may meet a 409 and is tried again on a fresh read.
     */
    private static <T> T editRetryingOnConflict(java.util.function.Supplier<T> edit) {
        for (int attempt = 1; ; attempt++) {
            try {
                return edit.get();
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    @Test
    void crudRoundTripsThroughTheApi() {
        Deployment created = client.apps().deployments().inNamespace("fabric8").resource(new DeploymentBuilder()
                .withNewMetadata().withName("crud").endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().withMatchLabels(Map.of("app", "crud")).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "crud")).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("busybox:1.36").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        assertNotNull(created.getMetadata().getUid());
        assertEquals("RollingUpdate", created.getSpec().getStrategy().getType());

        // A merge patch: the controllers update the Deployment's status meanwhile, which an optimistic edit would race.
        Deployment edited = client.apps().deployments().inNamespace("fabric8").withName("crud")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":5}}");
        assertEquals(5, edited.getSpec().getReplicas());
        assertEquals(2L, edited.getMetadata().getGeneration());

        client.apps().deployments().inNamespace("fabric8").withName("crud").scale(3);
        assertEquals(3, client.apps().deployments().inNamespace("fabric8").withName("crud").get().getSpec().getReplicas());

        Deployment stale = new DeploymentBuilder(created).editSpec().withReplicas(9).endSpec().build();
        KubernetesClientException conflict = assertThrows(KubernetesClientException.class,
                () -> client.apps().deployments().inNamespace("fabric8").resource(stale).update());
        assertEquals(409, conflict.getCode());

        client.apps().deployments().inNamespace("fabric8").withName("crud").delete();
        client.apps().deployments().inNamespace("fabric8").withName("crud").waitUntilCondition(d -> d == null, 30, TimeUnit.SECONDS);
        assertNull(client.apps().deployments().inNamespace("fabric8").withName("crud").get());
    }

    @Test
    void watchDeliversAddedModifiedDeleted() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (Watch watch = client.configMaps().inNamespace("fabric8").withLabel("watched", "yes").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                events.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            client.configMaps().inNamespace("fabric8").resource(new ConfigMapBuilder().withNewMetadata().withName("w")
                    .withLabels(Map.of("watched", "yes")).endMetadata().withData(Map.of("k", "1")).build()).create();
            client.configMaps().inNamespace("fabric8").withName("w").edit(c -> new ConfigMapBuilder(c).withData(Map.of("k", "2")).build());
            client.configMaps().inNamespace("fabric8").withName("w").delete();
            assertEquals("ADDED w", events.poll(20, TimeUnit.SECONDS));
            assertEquals("MODIFIED w", events.poll(20, TimeUnit.SECONDS));
            assertEquals("DELETED w", events.poll(20, TimeUnit.SECONDS));
        }
    }

    /**
     * fabric8 opens watches as WebSockets (one JSON event per text frame) and only falls back to HTTP streams
     * when the upgrade fails, so the WebSocket watch is checked here on its own, with the JDK's WebSocket client.
     */
    @Test
    void watchesOverWebSocket() throws Exception {
        Config config = client.getConfiguration();
        HttpClient http = HttpClient.newBuilder()
                .sslContext(SSLUtils.sslContext(SSLUtils.keyManagers(config), SSLUtils.trustManagers(config))).build();
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        StringBuilder partial = new StringBuilder();
        URI uri = URI.create(config.getMasterUrl().replaceFirst("^https", "wss").replaceAll("/+$", "")
                + "/api/v1/namespaces/fabric8/configmaps?watch=true&labelSelector=socket%3Dyes");
        String token = config.getAutoOAuthToken() != null ? config.getAutoOAuthToken() : config.getOauthToken();
        WebSocket socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            frames.add(partial.toString());
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(20, TimeUnit.SECONDS);
        try {
            client.configMaps().inNamespace("fabric8").resource(new ConfigMapBuilder().withNewMetadata().withName("socket")
                    .withLabels(Map.of("socket", "yes")).endMetadata().build()).create();
            String frame = frames.poll(20, TimeUnit.SECONDS);
            assertNotNull(frame, "no watch event arrived over the WebSocket");
            JsonNode event = new ObjectMapper().readTree(frame);
            assertEquals("ADDED", event.path("type").asText());
            assertEquals("socket", event.path("object").path("metadata").path("name").asText());
        } finally {
            socket.abort();
        }
    }

    /**
     * A namespaced watch is fanned every change of its resource: it must pass on only its own namespace's, both in
     * the initial state and afterwards. The other namespace's objects are written first, so a leak shows up first.
     */
    @Test
    void watchOfANamespaceSeesNoOtherNamespace() throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("fabric8-other").endMetadata().build())
                .create();
        Map<String, String> labels = Map.of("scope", "namespace-watch");
        client.configMaps().inNamespace("fabric8-other").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("before").withLabels(labels).endMetadata().build()).create();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (Watch watch = client.configMaps().inNamespace("fabric8").withLabels(labels).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                events.add(action + " " + resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            client.configMaps().inNamespace("fabric8-other").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("after").withLabels(labels).endMetadata().build()).create();
            client.configMaps().inNamespace("fabric8").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("mine").withLabels(labels).endMetadata().build()).create();
            assertEquals("ADDED fabric8/mine", events.poll(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void informerSyncsAndFollowsChanges() throws Exception {
        client.configMaps().inNamespace("fabric8").resource(new ConfigMapBuilder().withNewMetadata().withName("before")
                .withLabels(Map.of("informed", "yes")).endMetadata().build()).create();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace("fabric8").withLabel("informed", "yes")
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(ConfigMap obj) {
                        events.add("add " + obj.getMetadata().getName());
                    }

                    @Override
                    public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                        events.add("update " + newObj.getMetadata().getName());
                    }

                    @Override
                    public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                        events.add("delete " + obj.getMetadata().getName());
                    }
                });
        try {
            assertEquals("add before", events.poll(20, TimeUnit.SECONDS));
            client.configMaps().inNamespace("fabric8").resource(new ConfigMapBuilder().withNewMetadata().withName("after")
                    .withLabels(Map.of("informed", "yes")).endMetadata().build()).create();
            assertEquals("add after", events.poll(20, TimeUnit.SECONDS));
            client.configMaps().inNamespace("fabric8").withName("before").delete();
            assertEquals("delete before", events.poll(20, TimeUnit.SECONDS));
            assertEquals(List.of("after"), informer.getStore().list().stream().map(c -> c.getMetadata().getName()).toList());
        } finally {
            informer.close();
        }
    }
}
