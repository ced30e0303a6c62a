package dev.timon.scheduler;

import dev.timon.controllers.Selectors;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node with the pods the scheduler counts on it and the sums of their requests. Guarded by the cache's lock.
 * What every pod is checked against on hundreds of nodes (name, readiness, taints, cpu, memory, pod count) is read
 * from this object's own fields: map lookups there were a tenth of the scheduler's time, and reaching into the
 * decoded Node (metadata, spec, its taint list), a chain of cache misses per node, cost the filters more than their
 * logic.
 */
public final class NodeInfo {

    private Node node;
    private String name;
    /** The NoSchedule and NoExecute taints, the ones that keep pods off. */
    private List<Taint> schedulingTaints;
    private Map<String, Long> allocatable;
    private long allocatableCpu;
    private long allocatableMemory;
    private long allocatablePods;
    private long requestedCpu;
    private long requestedMemory;
    /** The last (interned) nodeSelector this node was checked against, and the answer. */
    private Map<String, String> checkedSelector;
    private boolean selectorMatched;
    private final Map<String, PodInfo> pods = new LinkedHashMap<>();
    private final Map<String, Long> requested = new HashMap<>();
    private final Set<String> usedPorts = new HashSet<>();
    private final Map<String, Integer> podsByOwner = new HashMap<>();
    /** The pods with required anti-affinity terms, which every incoming pod is checked against. */
    private final Map<String, PodInfo> podsWithAntiAffinity = new HashMap<>();
    private boolean ready;
    private boolean unschedulable;
    private long nonZeroCpu;
    private long nonZeroMemory;

    public NodeInfo(Node node) {
        setNode(node);
    }

    public void setNode(Node node) {
        this.node = node;
        this.name = node.getMetadata().getName();
        List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of()
                : node.getSpec().getTaints();
        this.schedulingTaints = taints.stream()
                .filter(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect())).toList();
        this.allocatable = PodInfo.amounts(node.getStatus() == null ? null : node.getStatus().getAllocatable());
        this.allocatableCpu = allocatable.getOrDefault(PodInfo.CPU, 0L);
        this.allocatableMemory = allocatable.getOrDefault(PodInfo.MEMORY, 0L);
        this.allocatablePods = allocatable.getOrDefault(PodInfo.PODS, 0L);
        this.checkedSelector = null; // the labels may have changed
        this.ready = node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst()
                .map(c -> "True".equals(c.getStatus())).orElse(false);
        this.unschedulable = node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
    }

    /** The NodeReady condition is True. */
    public boolean ready() {
        return ready;
    }

    /** Cordoned: spec.unschedulable. */
    public boolean unschedulable() {
        return unschedulable;
    }

    public Node node() {
        return node;
    }

    public String name() {
        return name;
    }

    public List<Taint> schedulingTaints() {
        return schedulingTaints;
    }

    public long allocatable(String resource) {
        return switch (resource) {
            case PodInfo.CPU -> allocatableCpu;
            case PodInfo.MEMORY -> allocatableMemory;
            case PodInfo.PODS -> allocatablePods;
            default -> allocatable.getOrDefault(resource, 0L);
        };
    }

    public long requested(String resource) {
        return switch (resource) {
            case PodInfo.CPU -> requestedCpu;
            case PodInfo.MEMORY -> requestedMemory;
            case PodInfo.PODS -> pods.size();
            default -> requested.getOrDefault(resource, 0L);
        };
    }

    /** Whether the node's labels hold every pair of {@code selector}, an interned {@link PodInfo#nodeSelector}. */
    public boolean matchesNodeSelector(Map<String, String> selector) {
        if (selector != checkedSelector) {
            selectorMatched = Selectors.matchesAll(selector, node.getMetadata().getLabels());
            checkedSelector = selector;
        }
        return selectorMatched;
    }

    public long nonZeroCpu() {
        return nonZeroCpu;
    }

    public long nonZeroMemory() {
        return nonZeroMemory;
    }

    public Iterable<PodInfo> pods() {
        return pods.values();
    }

    public Iterable<PodInfo> podsWithAntiAffinity() {
        // Most nodes have none: iterating an empty HashMap still scans its table.
        return podsWithAntiAffinity.isEmpty() ? List.of() : podsWithAntiAffinity.values();
    }

    public int podCount() {
        return pods.size();
    }

    public boolean portInUse(String port) {
        return usedPorts.contains(port);
    }

    public int podsOwnedBy(String ownerUid) {
        return podsByOwner.getOrDefault(ownerUid, 0);
    }

    void addPod(PodInfo pod) {
        String uid = pod.pod().getMetadata().getUid();
        if (pods.containsKey(uid)) {
            removePod(uid);
        }
        pods.put(uid, pod);
        addRequests(pod, 1);
        usedPorts.addAll(pod.hostPorts());
        nonZeroCpu += pod.nonZeroCpu();
        nonZeroMemory += pod.nonZeroMemory();
        if (pod.ownerUid() != null) {
            podsByOwner.merge(pod.ownerUid(), 1, Integer::sum);
        }
        if (!pod.requiredAntiAffinity().isEmpty()) {
            podsWithAntiAffinity.put(uid, pod);
        }
    }

    void removePod(String uid) {
        PodInfo pod = pods.remove(uid);
        if (pod == null) {
            return;
        }
        addRequests(pod, -1);
        usedPorts.removeAll(pod.hostPorts());
        nonZeroCpu -= pod.nonZeroCpu();
        nonZeroMemory -= pod.nonZeroMemory();
        if (pod.ownerUid() != null) {
            podsByOwner.computeIfPresent(pod.ownerUid(), (owner, n) -> n == 1 ? null : n - 1);
        }
        podsWithAntiAffinity.remove(uid);
    }

    private void addRequests(PodInfo pod, int sign) {
        pod.requests().forEach((name, amount) -> requested.merge(name, sign * amount, Long::sum));
        requestedCpu += sign * pod.requests().getOrDefault(PodInfo.CPU, 0L);
        requestedMemory += sign * pod.requests().getOrDefault(PodInfo.MEMORY, 0L);
    }

    /** For tests and benchmarks: a node holding the given pods. */
    public static NodeInfo of(Node node, PodInfo... pods) {
        NodeInfo info = new NodeInfo(node);
        for (PodInfo pod : pods) {
            info.addPod(pod);
        }
        return info;
    }
}
