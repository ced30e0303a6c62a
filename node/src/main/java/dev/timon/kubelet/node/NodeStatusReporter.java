package dev.timon.kubelet.node;

import dev.timon.cri.CriClient;
import dev.timon.kubelet.api.ApiRequests;
import dev.timon.kubelet.pods.PodResources;
import dev.timon.kubelet.status.Times;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeSystemInfoBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the Node and keeps its status true to the machine: capacity and allocatable (capacity minus a
 * reserve for the system and eviction threshold), addresses, nodeInfo, and the Ready and pressure conditions.
 * The status is sent when a condition changes and at least once a minute otherwise (the Lease is the heartbeat).
 */
public final class NodeStatusReporter {
    private static final Logger LOG = LoggerFactory.getLogger(NodeStatusReporter.class);
    public static final String KUBELET_VERSION = "v1.32.0";
    private static final long RESERVED_CPU_MILLIS = 100;
    private static final long RESERVED_MEMORY = 256L << 20;
    /** Upstream's default hard eviction threshold memory.available<100Mi doubles as the pressure threshold. */
    private static final long EVICTION_MEMORY = 100L << 20;
    private static final double DISK_PRESSURE_FREE_FRACTION = 0.10;
    private static final double PID_PRESSURE_USED_FRACTION = 0.90;
    private static final int MAX_PODS = 110;
    private static final Duration REPORT_AT_LEAST_EVERY = Duration.ofMinutes(1);

    private final KubernetesClient client;
    private final ApiRequests api;
    private final CriClient cri;
    private final String nodeName;
    private final String nodeIp;
    private final String podCidr;
    private final Path dataDir;
    private final int kubeletPort;
    private List<String> lastConditionStates = List.of();
    private Instant lastReport = Instant.EPOCH;
    private Map<String, NodeCondition> previous = Map.of();

    public NodeStatusReporter(KubernetesClient client, ApiRequests api, CriClient cri, String nodeName, String nodeIp,
                              String podCidr, Path dataDir, int kubeletPort) {
        this.client = client;
        this.api = api;
        this.cri = cri;
        this.nodeName = nodeName;
        this.nodeIp = nodeIp;
        this.podCidr = podCidr;
        this.dataDir = dataDir;
        this.kubeletPort = kubeletPort;
    }

    /** Creates the Node object, or updates labels and pod CIDR of an existing one, then reports status. */
    public void register() {
        var labels = Map.of("kubernetes.io/hostname", nodeName, "kubernetes.io/os", "linux",
                "kubernetes.io/arch", MachineInfo.architecture(), "beta.kubernetes.io/os", "linux",
                "beta.kubernetes.io/arch", MachineInfo.architecture());
        var existing = client.nodes().withName(nodeName).get();
        if (existing == null) {
            Node node = new NodeBuilder().withNewMetadata().withName(nodeName).withLabels(labels).endMetadata()
                    .withNewSpec().withPodCIDR(podCidr).withPodCIDRs(podCidr).endSpec().build();
            client.nodes().resource(node).create();
            LOG.info("registered node {}", nodeName);
        } else {
            client.nodes().withName(nodeName).edit(n -> new NodeBuilder(n).editMetadata().addToLabels(labels).endMetadata()
                    .editSpec().withPodCIDR(podCidr).withPodCIDRs(podCidr).endSpec().build());
            LOG.info("node {} already registered; updated", nodeName);
        }
        report();
    }

    /** Sends the status if a condition changed or the last report is old. */
    public void report() {
        var conditions = conditions();
        var states = conditions.stream().map(c -> c.getType() + "=" + c.getStatus()).toList();
        if (states.equals(lastConditionStates) && Instant.now().isBefore(lastReport.plus(REPORT_AT_LEAST_EVERY))) {
            return;
        }
        api.patchStatus("api/v1/nodes/" + nodeName, status(conditions));
        lastConditionStates = states;
        lastReport = Instant.now();
    }

    private NodeStatus status(List<NodeCondition> conditions) {
        long memory = MachineInfo.meminfo("MemTotal");
        var fs = MachineInfo.fileSystem(dataDir);
        var capacity = new LinkedHashMap<String, Quantity>();
        capacity.put("cpu", new Quantity(Integer.toString(MachineInfo.cpus())));
        capacity.put("memory", new Quantity((memory >> 10) + "Ki"));
        capacity.put("ephemeral-storage", new Quantity((fs.get("total") >> 10) + "Ki"));
        capacity.put("pods", new Quantity(Integer.toString(MAX_PODS)));
        capacity.put("hugepages-2Mi", new Quantity("0"));
        var allocatable = new LinkedHashMap<>(capacity);
        allocatable.put("cpu", new Quantity(Math.max(0, MachineInfo.cpus() * 1000L - RESERVED_CPU_MILLIS) + "m"));
        allocatable.put("memory", new Quantity((Math.max(0, memory - RESERVED_MEMORY - EVICTION_MEMORY) >> 10) + "Ki"));
        allocatable.put("ephemeral-storage", new Quantity(((long) (fs.get("total") * 0.9) >> 10) + "Ki"));
        String runtimeVersion;
        try {
            var version = cri.version().join();
            runtimeVersion = version.getRuntimeName() + "://" + version.getRuntimeVersion();
        } catch (RuntimeException e) {
            runtimeVersion = "containerd://unknown";
        }
        return new NodeStatusBuilder()
                .withCapacity(capacity).withAllocatable(allocatable)
                .withConditions(conditions)
                .withAddresses(new NodeAddress(nodeIp, "InternalIP"), new NodeAddress(MachineInfo.hostname(), "Hostname"))
                .withNewDaemonEndpoints().withNewKubeletEndpoint(kubeletPort).endDaemonEndpoints()
                .withNodeInfo(new NodeSystemInfoBuilder()
                        .withMachineID(MachineInfo.machineId()).withSystemUUID(MachineInfo.systemUuid()).withBootID(MachineInfo.bootId())
                        .withKernelVersion(MachineInfo.kernel()).withOsImage(MachineInfo.osImage())
                        .withContainerRuntimeVersion(runtimeVersion).withKubeletVersion(KUBELET_VERSION)
                        .withKubeProxyVersion(KUBELET_VERSION).withOperatingSystem("linux").withArchitecture(MachineInfo.architecture())
                        .build())
                .build();
    }

    /** Allocatable resources, for the downward API's unset limits. */
    public static Map<String, Quantity> allocatable() {
        long memory = MachineInfo.meminfo("MemTotal");
        return Map.of("cpu", new Quantity(Math.max(0, MachineInfo.cpus() * 1000L - RESERVED_CPU_MILLIS) + "m"),
                "memory", new Quantity(Long.toString(Math.max(0, memory - RESERVED_MEMORY - EVICTION_MEMORY))));
    }

    /**
     * What all pods together may use, as upstream enforces node allocatable on the kubepods cgroup: capacity minus
     * the system reserve. The eviction threshold is not taken off: it is the margin eviction works in.
     */
    public static PodResources enforcedAllocatable() {
        long cpuMillis = Math.max(0, MachineInfo.cpus() * 1000L - RESERVED_CPU_MILLIS);
        long memory = Math.max(0, MachineInfo.meminfo("MemTotal") - RESERVED_MEMORY);
        return new PodResources(PodResources.shares(cpuMillis), null, memory);
    }

    private List<NodeCondition> conditions() {
        String runtimeProblem = runtimeProblem();
        long available = MachineInfo.meminfo("MemAvailable");
        var fs = MachineInfo.fileSystem(dataDir);
        boolean diskPressure = fs.get("total") > 0 && fs.get("available") < fs.get("total") * DISK_PRESSURE_FREE_FRACTION;
        boolean pidPressure = MachineInfo.processCount() > MachineInfo.pidMax() * PID_PRESSURE_USED_FRACTION;
        var list = new ArrayList<NodeCondition>();
        list.add(condition("MemoryPressure", available < EVICTION_MEMORY, "KubeletHasInsufficientMemory", "KubeletHasSufficientMemory",
                available < EVICTION_MEMORY ? "kubelet has insufficient memory available" : "kubelet has sufficient memory available"));
        list.add(condition("DiskPressure", diskPressure, "KubeletHasDiskPressure", "KubeletHasNoDiskPressure",
                diskPressure ? "kubelet has disk pressure" : "kubelet has no disk pressure"));
        list.add(condition("PIDPressure", pidPressure, "KubeletHasInsufficientPID", "KubeletHasSufficientPID",
                pidPressure ? "kubelet has insufficient PID available" : "kubelet has sufficient PID available"));
        list.add(condition("Ready", runtimeProblem == null, "KubeletReady", "KubeletNotReady",
                runtimeProblem == null ? "kubelet is posting ready status" : runtimeProblem));
        var byType = new LinkedHashMap<String, NodeCondition>();
        list.forEach(c -> byType.put(c.getType(), c));
        previous = byType;
        return list;
    }

    private NodeCondition condition(String type, boolean value, String trueReason, String falseReason, String message) {
        String status = value ? "True" : "False";
        var old = previous.get(type);
        String now = Times.now();
        var condition = new NodeCondition();
        condition.setType(type);
        condition.setStatus(status);
        condition.setReason(value ? trueReason : falseReason);
        condition.setMessage(message);
        condition.setLastHeartbeatTime(now);
        condition.setLastTransitionTime(old != null && old.getStatus().equals(status) ? old.getLastTransitionTime() : now);
        return condition;
    }

    /** Why the runtime cannot run pods, or null when RuntimeReady and NetworkReady hold. */
    private String runtimeProblem() {
        try {
            var conditions = cri.status().join().getStatus().getConditionsList();
            for (String type : List.of("RuntimeReady", "NetworkReady")) {
                var condition = conditions.stream().filter(c -> c.getType().equals(type)).findFirst();
                if (condition.isEmpty() || !condition.get().getStatus()) {
                    return "container runtime not ready: " + type + "=false"
                            + condition.map(c -> " reason:" + c.getReason() + " message:" + c.getMessage()).orElse("");
                }
            }
            return null;
        } catch (RuntimeException e) {
            return "container runtime is down: " + e.getMessage();
        }
    }
}
