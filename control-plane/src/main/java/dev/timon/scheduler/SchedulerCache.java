package dev.timon.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scheduler's own view of nodes and what is placed on them. Pods count from the moment they are assumed
 * (chosen, binding in flight), not from when the informer reports the binding, so back-to-back decisions see
 * each other. All access holds this object's monitor.
 */
public final class SchedulerCache {

    private final Map<String, NodeInfo> nodes = new HashMap<>();
    /** Node name of every counted pod, by UID. */
    private final Map<String, String> podNodes = new HashMap<>();
    private final Set<String> assumed = new HashSet<>();
    private List<NodeInfo> nodeList = List.of();

    public synchronized void upsertNode(Node node) {
        NodeInfo info = nodes.get(node.getMetadata().getName());
        if (info == null) {
            nodes.put(node.getMetadata().getName(), new NodeInfo(node));
            nodeList = null;
        } else {
            info.setNode(node);
        }
    }

    public synchronized void removeNode(Node node) {
        nodes.remove(node.getMetadata().getName());
        nodeList = null;
    }

    /** Counts a bound pod as the informer reports it (replacing an assumed copy). */
    public synchronized void upsertPod(Pod pod) {
        String uid = pod.getMetadata().getUid();
        assumed.remove(uid);
        place(PodInfo.of(pod), pod.getSpec().getNodeName());
    }

    public synchronized void removePod(Pod pod) {
        String uid = pod.getMetadata().getUid();
        assumed.remove(uid);
        String node = podNodes.remove(uid);
        if (node != null && nodes.containsKey(node)) {
            nodes.get(node).removePod(uid);
        }
    }

    public synchronized void assume(PodInfo pod, String node) {
        assumed.add(pod.pod().getMetadata().getUid());
        place(pod, node);
    }

    /** Drops an assumed pod whose binding failed. */
    public synchronized void forget(Pod pod) {
        if (assumed.contains(pod.getMetadata().getUid())) {
            removePod(pod);
        }
    }

    public synchronized boolean isAssumed(Pod pod) {
        return assumed.contains(pod.getMetadata().getUid());
    }

    private void place(PodInfo pod, String node) {
        String uid = pod.pod().getMetadata().getUid();
        String previous = podNodes.put(uid, node);
        if (previous != null && !previous.equals(node) && nodes.containsKey(previous)) {
            nodes.get(previous).removePod(uid);
        }
        // A pod on a node not known yet is not counted; such pods are rare (the node informer leads).
        NodeInfo info = nodes.get(node);
        if (info != null) {
            info.addPod(pod);
        }
    }

    /** Nodes in a stable order; call while holding the monitor. */
    List<NodeInfo> nodes() {
        if (nodeList == null) {
            nodeList = new ArrayList<>(nodes.values());
        }
        return nodeList;
    }
}
