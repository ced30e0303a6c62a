package dev.timon.node.hollow;

import dev.timon.client.Informers;
import dev.timon.kubelet.node.LeaseRenewer;
import dev.timon.kubelet.status.PodStatusGenerator;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N simulated nodes in one process, like kubemark/kwok: each registers a Node, renews its Lease, and acts as a
 * kubelet without containers: pods bound to it become Running and Ready (or Succeeded after a short delay when
 * their restartPolicy lets containers exit), and pods marked for deletion are removed. Status writes go through a
 * bounded pool so a thousand nodes do not open a thousand concurrent requests.
 */
public final class HollowNodes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HollowNodes.class);
    private static final long COMPLETION_DELAY_MS = 2000;

    private final KubernetesClient client;
    private final String prefix;
    private final int count;
    private final ExecutorService writers;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, daemon("hollow-timers"));
    /**
     * Lease renewals have threads of their own, as the kubelet's heartbeat is apart from its pod work: queued behind
     * a benchmark's backlog of status writes (15-25 s of them), a renewal could come later than the 40 s after which
     * a node counts as unreachable.
     */
    private final ExecutorService heartbeats = Executors.newFixedThreadPool(4, daemon("hollow-heartbeat"));
    /** Pods with a write in flight or queued, so repeated watch events do not duplicate work. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> completeAt = new ConcurrentHashMap<>();
    private final Map<String, LeaseRenewer> leases = new ConcurrentHashMap<>();
    /**
     * Pod IPs count up from a random start, so several hollow-node processes (and restarts) rarely hand out the
     * same address; within 10.244.0.0/16, skipping .0 and .255.
     */
    private final AtomicInteger nextIp = new AtomicInteger(ThreadLocalRandom.current().nextInt(254 * 256));
    private SharedIndexInformer<Pod> pods;

    public HollowNodes(KubernetesClient client, String prefix, int count, int concurrency) {
        this.client = client;
        this.prefix = prefix;
        this.count = count;
        this.writers = Executors.newFixedThreadPool(concurrency, daemon("hollow-writer"));
    }

    public String nodeName(int index) {
        return prefix + index;
    }

    public void start() throws Exception {
        List<java.util.concurrent.Future<?>> registrations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = nodeName(i);
            registrations.add(writers.submit(() -> register(name)));
        }
        for (var registration : registrations) {
            registration.get(120, TimeUnit.SECONDS);
        }
        timers.scheduleAtFixedRate(this::renewLeases, 10, 10, TimeUnit.SECONDS);
        // Bound pods only, as each kubelet watches its own node's: unscheduled pods are no hollow node's business.
        pods = Informers.retrying(client.pods().inAnyNamespace().withoutField("spec.nodeName", "").runnableInformer(0));
        pods.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                handle(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                handle(newPod);
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                completeAt.remove(pod.getMetadata().getUid());
            }
        });
        pods.start().toCompletableFuture().get(120, TimeUnit.SECONDS);
        LOG.info("{} hollow nodes registered ({}0..{}{})", count, prefix, prefix, count - 1);
    }

    private boolean ours(Pod pod) {
        String node = pod.getSpec().getNodeName();
        return node != null && node.startsWith(prefix);
    }

    private void handle(Pod pod) {
        if (!ours(pod)) {
            return;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        boolean terminal = PodStatusGenerator.isTerminal(phase);
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            submit(pod, () -> client.pods().inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName()).withGracePeriod(0).delete());
        } else if (!"Running".equals(phase) && !terminal) {
            submit(pod, () -> patchStatus(pod, running(pod)));
        } else if ("Running".equals(phase) && exits(pod)) {
            scheduleCompletion(pod);
        }
    }

    private void submit(Pod pod, Runnable write) {
        String uid = pod.getMetadata().getUid();
        if (!inFlight.add(uid)) {
            return;
        }
        writers.execute(() -> {
            try {
                write.run();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404 && e.getCode() != 409) {
                    LOG.debug("pod {}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.getMessage());
                }
            } finally {
                inFlight.remove(uid);
                // A conflict or failure leaves the cached pod out of date: look again at the newest one.
                Pod latest = pods.getStore().get(pod);
                if (latest != null && latest != pod) {
                    handle(latest);
                }
            }
        });
    }

    /** Pods whose containers are expected to exit (Jobs): they complete a little after starting. */
    private static boolean exits(Pod pod) {
        String policy = pod.getSpec().getRestartPolicy();
        return "Never".equals(policy) || "OnFailure".equals(policy);
    }

    private void scheduleCompletion(Pod pod) {
        String uid = pod.getMetadata().getUid();
        if (completeAt.putIfAbsent(uid, System.currentTimeMillis() + COMPLETION_DELAY_MS) != null) {
            return;
        }
        timers.schedule(() -> {
            Pod latest = pods.getStore().get(pod);
            // Someone else (a test acting as the kubelet) may have finished the pod meanwhile: never undo that.
            if (latest != null && latest.getMetadata().getDeletionTimestamp() == null
                    && "Running".equals(latest.getStatus().getPhase())) {
                submit(latest, () -> patchStatus(latest, succeeded(latest)));
            }
        }, COMPLETION_DELAY_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Writes a pod's status as the kubelet does, as a merge patch of pods/status that sends the status alone rather
     * than the whole pod. It carries the resourceVersion the status was computed from, so a status someone else
     * wrote meanwhile (a test acting as the kubelet) fails with a conflict instead of being undone.
     */
    private void patchStatus(Pod pod, PodStatus status) {
        Map<String, Object> patch = Map.of("metadata", Map.of("resourceVersion", pod.getMetadata().getResourceVersion()),
                "status", status);
        // On resource(pod), not withName(...): fabric8 GETs the object before patching it by name alone.
        client.pods().resource(pod).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                client.getKubernetesSerialization().asJson(patch));
    }

    private PodStatus running(Pod pod) {
        String now = now();
        PodStatus status = pod.getStatus() == null ? new PodStatus()
                : client.getKubernetesSerialization().clone(pod.getStatus());
        int ip = Math.floorMod(nextIp.incrementAndGet(), 254 * 256);
        status.setPhase("Running");
        status.setHostIP("10.0.0.1");
        status.setPodIP("10.244." + ip / 254 + "." + (ip % 254 + 1));
        status.setStartTime(now);
        status.setConditions(List.of(condition("Initialized", now), condition("Ready", now),
                condition("ContainersReady", now), condition("PodScheduled", now)));
        List<ContainerStatus> containers = new ArrayList<>();
        for (var container : pod.getSpec().getContainers()) {
            containers.add(new ContainerStatusBuilder()
                    .withName(container.getName())
                    .withImage(container.getImage())
                    .withImageID("docker.io/hollow/" + container.getImage())
                    .withContainerID("hollow://" + pod.getMetadata().getUid() + "/" + container.getName())
                    .withReady(true).withStarted(true).withRestartCount(0)
                    .withNewState().withNewRunning().withStartedAt(now).endRunning().endState()
                    .build());
        }
        status.setContainerStatuses(containers);
        return status;
    }

    private PodStatus succeeded(Pod pod) {
        String now = now();
        PodStatus status = client.getKubernetesSerialization().clone(pod.getStatus());
        status.setPhase("Succeeded");
        List<PodCondition> conditions = new ArrayList<>();
        for (PodCondition c : status.getConditions()) {
            boolean readiness = c.getType().equals("Ready") || c.getType().equals("ContainersReady");
            conditions.add(readiness ? new PodConditionBuilder(c).withStatus("False").withReason("PodCompleted")
                    .withLastTransitionTime(now).build() : c);
        }
        status.setConditions(conditions);
        for (ContainerStatus c : status.getContainerStatuses()) {
            String started = c.getState().getRunning() == null ? now : c.getState().getRunning().getStartedAt();
            c.setReady(false);
            c.setStarted(false);
            c.setState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder().withNewTerminated()
                    .withExitCode(0).withReason("Completed").withStartedAt(started).withFinishedAt(now)
                    .withContainerID(c.getContainerID()).endTerminated().build());
        }
        return status;
    }

    private static PodCondition condition(String type, String now) {
        return new PodConditionBuilder().withType(type).withStatus("True").withLastTransitionTime(now).build();
    }

    private void register(String name) {
        String now = now();
        Map<String, Quantity> capacity = Map.of("cpu", new Quantity("4"), "memory", new Quantity("16Gi"),
                "pods", new Quantity("110"), "ephemeral-storage", new Quantity("100Gi"));
        Node node = new NodeBuilder()
                .withNewMetadata().withName(name)
                .withLabels(Map.of("kubernetes.io/hostname", name, "kubernetes.io/os", "linux",
                        "kubernetes.io/arch", "amd64", "type", "hollow"))
                .endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus()
                .withCapacity(capacity).withAllocatable(capacity)
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withMessage("kubelet is posting ready status").withLastHeartbeatTime(now).withLastTransitionTime(now)
                .endCondition()
                .addNewAddress().withType("InternalIP").withAddress("10.0.0.1").endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .withNewNodeInfo().withKubeletVersion("v1.32.0-timon-hollow").withOperatingSystem("linux")
                .withArchitecture("amd64").withContainerRuntimeVersion("hollow://0.1").withOsImage("hollow")
                .withKernelVersion("hollow").withKubeProxyVersion("v1.32.0").withMachineID(name).withSystemUUID(name)
                .withBootID(name).endNodeInfo()
                .endStatus()
                .build();
        Node existing = client.nodes().withName(name).get();
        Node stored = existing == null ? client.nodes().resource(node).create() : existing;
        // Status is a subresource: the create above ignores it, so write it separately (also on re-registration).
        node.getMetadata().setResourceVersion(stored.getMetadata().getResourceVersion());
        node.getMetadata().setUid(stored.getMetadata().getUid());
        node.setSpec(stored.getSpec());
        client.nodes().resource(node).updateStatus();
        LeaseRenewer lease = new LeaseRenewer(client, name);
        lease.renew();
        leases.put(name, lease);
    }

    private void renewLeases() {
        for (LeaseRenewer lease : leases.values()) {
            heartbeats.execute(() -> {
                try {
                    lease.renew();
                } catch (KubernetesClientException e) {
                    LOG.debug("lease renewal: {}", e.getMessage());
                }
            });
        }
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread thread = new Thread(r, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        if (pods != null) {
            pods.stop();
        }
        timers.shutdownNow();
        heartbeats.shutdownNow();
        writers.shutdownNow();
    }
}
