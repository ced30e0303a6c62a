package dev.timon.kubelet;

import dev.timon.client.Informers;
import dev.timon.client.KubeClients;
import dev.timon.cri.CriClient;
import dev.timon.kubelet.api.ApiRequests;
import dev.timon.kubelet.env.ServiceCache;
import dev.timon.kubelet.node.CgroupDriver;
import dev.timon.kubelet.node.PodCgroups;
import dev.timon.kubelet.node.LeaseRenewer;
import dev.timon.kubelet.node.MachineInfo;
import dev.timon.kubelet.node.NodeStatusReporter;
import dev.timon.kubelet.pods.PodAgent;
import dev.timon.kubelet.pods.RuntimeChanges;
import dev.timon.kubelet.server.CriContainerLocator;
import dev.timon.kubelet.server.NodeServer;
import dev.timon.kubelet.server.NodeServerConfig;
import dev.timon.pki.ClusterCa;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running node agent: registers the node, heartbeats, and runs the pods bound to it through CRI. Closing it
 * leaves the pods running (a restarted agent adopts them).
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);
    /** Enough for 30 pods starting at once: each sync mostly waits on CRI. */
    private static final int POD_WORKER_THREADS = 32;

    private final KubernetesClient client;
    private final CriClient cri;
    private final SharedIndexInformer<Pod> informer;
    private final ServiceCache services;
    private final AutoCloseable events;
    private final AutoCloseable nodeServer;
    private final ExecutorService[] executors;

    private NodeAgent(KubernetesClient client, CriClient cri, SharedIndexInformer<Pod> informer, ServiceCache services,
                      AutoCloseable events, AutoCloseable nodeServer, ExecutorService... executors) {
        this.client = client;
        this.cri = cri;
        this.informer = informer;
        this.services = services;
        this.events = events;
        this.nodeServer = nodeServer;
        this.executors = executors;
    }

    /** Where CRI writes container logs: {@code <root>/<ns>_<pod>_<uid>/<container>/<restart>.log}, like /var/log/pods. */
    public static Path podLogsRoot(Path dataDir) {
        return dataDir.resolve("log").resolve("pods");
    }

    public static NodeAgent start(NodeAgentConfig config) throws Exception {
        Files.createDirectories(config.dataDir());
        var client = KubeClients.fromKubeconfig(config.kubeconfig());
        var cri = CriClient.connect(config.containerdSocket());
        String nodeIp = config.nodeIp() != null ? config.nodeIp() : MachineInfo.internalIp();
        var api = new ApiRequests(client);

        var timer = Executors.newScheduledThreadPool(2, daemon("agent-timer"));
        var probeThreads = Executors.newScheduledThreadPool(4, daemon("probes"));
        var podThreads = Executors.newFixedThreadPool(POD_WORKER_THREADS, daemon("pod-worker"));
        var killThreads = Executors.newCachedThreadPool(daemon("container-stop"));

        var reporter = new NodeStatusReporter(client, api, cri, config.nodeName(), nodeIp, config.podCidr(), config.dataDir(),
                config.port());
        reporter.register();
        var lease = new LeaseRenewer(client, config.nodeName());
        timer.scheduleWithFixedDelay(() -> heartbeat(reporter, lease), 0, HEARTBEAT.toSeconds(), TimeUnit.SECONDS);

        var services = ServiceCache.start(client);
        var pods = PodAgent.create(cri, client, api, config.nodeName(), nodeIp, config.dataDir().resolve("pods"),
                podLogsRoot(config.dataDir()), PodCgroups.create(CgroupDriver.of(cri), NodeStatusReporter.enforcedAllocatable()), podThreads, timer, probeThreads, killThreads,
                services);
        var informer = Informers.retrying(
                client.pods().inAnyNamespace().withField("spec.nodeName", config.nodeName()).runnableInformer(0));
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                pods.workers().update(pod);
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                pods.workers().update(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                pods.workers().removed(pod.getMetadata().getUid());
            }
        });
        // Not awaited: events flow as soon as the list is in, and nothing here may wait on the watch.
        informer.start().whenComplete((v, e) -> {
            if (e != null) {
                LOG.error("pod informer failed to start", e);
            }
        });
        long syncMillis = config.syncFrequency().toMillis();
        timer.scheduleWithFixedDelay(pods.workers()::resyncAll, syncMillis, syncMillis, TimeUnit.MILLISECONDS);
        new RuntimeChanges(cri, pods.workers(), uid -> informer.hasSynced()
                && informer.getStore().list().stream().noneMatch(p -> uid.equals(p.getMetadata().getUid())))
                .start(timer);
        AutoCloseable nodeServer = startNodeServer(config, cri, nodeIp);
        LOG.info("node agent for {} ({}) running; pod CIDR {}", config.nodeName(), nodeIp, config.podCidr());
        return new NodeAgent(client, cri, informer, services, pods.events(), nodeServer, timer, probeThreads, podThreads, killThreads);
    }

    /**
     * The HTTPS server the API server calls for logs, exec, attach and port-forward, with a serving certificate
     * from the cluster CA; only the API server's client certificate may use it.
     */
    private static AutoCloseable startNodeServer(NodeAgentConfig config, CriClient cri, String nodeIp) throws Exception {
        if (config.pkiDir() == null) {
            LOG.warn("no --pki-dir: logs, exec and port-forward are not served");
            return () -> { };
        }
        ClusterCa ca = ClusterCa.loadOrCreate(config.pkiDir());
        Path[] serving = ca.ensureCertificate("node-" + config.nodeName() + "-serving", "system:node:" + config.nodeName(),
                List.of("system:nodes"), List.of(config.nodeName()), List.of(nodeIp, "127.0.0.1"), true, false);
        Vertx vertx = Vertx.vertx();
        NodeServer server = new NodeServer(vertx, cri, podLogsRoot(config.dataDir()), new CriContainerLocator(cri));
        server.listen(new NodeServerConfig("0.0.0.0", config.port(), serving[0], serving[1],
                        ca.certificatePath(), Set.of("kube-apiserver-kubelet-client")))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return () -> {
            server.close();
            vertx.close();
        };
    }

    private static void heartbeat(NodeStatusReporter reporter, LeaseRenewer lease) {
        try {
            lease.renew();
            reporter.report();
        } catch (RuntimeException e) {
            LOG.warn("node heartbeat failed: {}", e.toString());
        }
    }

    private static ThreadFactory daemon(String name) {
        var counter = new AtomicInteger();
        return runnable -> {
            var thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        informer.close();
        services.close();
        try {
            events.close();
        } catch (Exception e) {
            LOG.debug("closing events: {}", e.toString());
        }
        try {
            nodeServer.close();
        } catch (Exception e) {
            LOG.debug("closing the node server: {}", e.toString());
        }
        for (var executor : executors) {
            executor.shutdownNow();
        }
        cri.close();
        client.close();
    }
}
