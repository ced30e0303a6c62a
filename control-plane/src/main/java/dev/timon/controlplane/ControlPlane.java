package dev.timon.controlplane;

import dev.timon.apiserver.ApiServer;
import dev.timon.apiserver.Authenticator;
import dev.timon.apiserver.Discovery;
import dev.timon.apiserver.NodeStreamProxy;
import dev.timon.apiserver.NodeStreams;
import dev.timon.apiserver.OpenApiHandler;
import dev.timon.apiserver.openapi.OpenApiService;
import dev.timon.apiserver.ResourceHandler;
import dev.timon.apiserver.SubresourceHandler;
import dev.timon.pki.ClusterCa;
import dev.timon.registry.Registry;
import dev.timon.registry.ResourceDefinition;
import dev.timon.registry.ResourceStore;
import dev.timon.registry.resources.BuiltinResources;
import dev.timon.controllers.ControllerManager;
import dev.timon.registry.resources.Services;
import dev.timon.scheduler.SchedulerService;
import dev.timon.storage.Compactor;
import dev.timon.storage.EtcdStore;
import dev.timon.storage.WatchCache;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A running control plane: the API server on etcd with its watch cache. Used by {@code timon up} and by the
 * compatibility tests alike, so tests exercise exactly what users run.
 */
public final class ControlPlane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
    /** Upstream's default: history older than five minutes is compacted away. */
    private static final Duration COMPACTION_INTERVAL = Duration.ofMinutes(5);

    /** What this control plane runs, closed in reverse order of starting. */
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private Path kubeconfig;
    private String adminToken;
    private ClusterCa ca;

    private ControlPlane() {
    }

    public static ControlPlane start(ControlPlaneConfig config) throws Exception {
        ControlPlane controlPlane = new ControlPlane();
        try {
            controlPlane.run(config);
        } catch (Exception e) {
            controlPlane.close();
            throw e;
        }
        return controlPlane;
    }

    @SuppressWarnings("unchecked")
    private void run(ControlPlaneConfig config) throws Exception {
        Path pki = config.dataDir().resolve("pki");
        ca = ClusterCa.loadOrCreate(pki);
        Path[] serving = ca.ensureCertificate("apiserver", "kube-apiserver", List.of(),
                List.of("localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
                        "kubernetes.default.svc.cluster.local"),
                List.of("127.0.0.1", config.bindAddress().equals("0.0.0.0") ? "127.0.0.1" : config.bindAddress(),
                        Services.KUBERNETES_SERVICE_IP), true, false);
        adminToken = ca.ensureToken("admin");

        Registry registry = BuiltinResources.registry(config.eventTtl());
        EtcdStore etcd = EtcdStore.connect(config.etcdEndpoints());
        running.push(etcd);
        // The watches get a connection of their own: on a shared one, watch events not yet taken in hold the
        // connection's flow-control window, and the writes' answers queue behind them.
        EtcdStore watchConnection = EtcdStore.connect(config.etcdEndpoints());
        running.push(watchConnection);
        WatchCache cache = new WatchCache(watchConnection, registry.all());
        running.push(cache);
        cache.start().get(60, TimeUnit.SECONDS);
        running.push(new Compactor(etcd).start(COMPACTION_INTERVAL));
        ResourceDefinition<Namespace> namespaces = (ResourceDefinition<Namespace>) registry.find("", "v1", "namespaces").orElseThrow();
        ResourceDefinition<Pod> pods = (ResourceDefinition<Pod>) registry.find("", "v1", "pods").orElseThrow();
        ResourceStore store = new ResourceStore(etcd, cache, namespaces);
        String advertise = config.bindAddress().equals("0.0.0.0") ? "127.0.0.1" : config.bindAddress();
        new Bootstrap(registry, store).run(advertise, config.securePort()).get(30, TimeUnit.SECONDS);

        Vertx vertx = Vertx.vertx();
        running.push(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        ResourceDefinition<Node> nodes = (ResourceDefinition<Node>) registry.find("", "v1", "nodes").orElseThrow();
        Path[] kubeletClient = ca.ensureCertificate("apiserver-kubelet-client", "kube-apiserver-kubelet-client",
                List.of("system:masters"), List.of(), List.of(), false, true);
        NodeStreams nodeStreams = new NodeStreamProxy(vertx, store, pods, nodes, kubeletClient[0], kubeletClient[1],
                ca.certificatePath());
        OpenApiHandler openApi = new OpenApiHandler(vertx, new OpenApiService(registry));
        openApi.warmUp();
        ResourceHandler resources = new ResourceHandler(vertx, registry, store, cache,
                new SubresourceHandler(store, pods), nodeStreams);
        Authenticator authenticator = new Authenticator(Map.of(adminToken,
                new Authenticator.User("admin", List.of("system:masters", "system:authenticated"))));
        String address = advertise + ":" + config.securePort();
        ApiServer apiServer = new ApiServer(vertx, authenticator, new Discovery(registry, address), resources, openApi,
                () -> cache.revision() > 0);
        apiServer.listen(config.bindAddress(), config.securePort(), serving[0], serving[1])
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        running.push(() -> apiServer.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        kubeconfig = config.dataDir().resolve("kubeconfig");
        Kubeconfig.write(kubeconfig, "https://" + address, ca.certificatePath(), adminToken);
        LOG.info("control plane ready; kubeconfig at {}", kubeconfig);
        // The scheduler and controller manager run here as clients of this API server, exactly as they do as
        // their own processes (-Dtimon.controllers=false leaves them to those).
        if (Boolean.parseBoolean(System.getProperty("timon.controllers", "true"))) {
            running.push(SchedulerService.start(kubeconfig, true));
            running.push(ControllerManager.start(kubeconfig, true));
        }
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public String adminToken() {
        return adminToken;
    }

    public ClusterCa ca() {
        return ca;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
