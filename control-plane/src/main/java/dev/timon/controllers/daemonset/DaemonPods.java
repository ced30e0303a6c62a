package dev.timon.controllers.daemonset;

import dev.timon.controllers.PodControl;
import dev.timon.controllers.Taints;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Daemon pods as upstream builds them: default tolerations, and a node affinity pinning the pod to one node. */
public final class DaemonPods {

    public static final String REVISION_LABEL = "controller-revision-hash";
    static final String TEMPLATE_GENERATION_LABEL = "pod-template-generation";

    private DaemonPods() {
    }

    /** The template's pod spec with the tolerations every daemon pod gets. */
    public static PodSpec withDefaultTolerations(PodSpec template) {
        PodSpec spec = new io.fabric8.kubernetes.api.model.PodSpecBuilder(template).build();
        List<Toleration> tolerations = spec.getTolerations() == null ? new ArrayList<>() : new ArrayList<>(spec.getTolerations());
        addIfMissing(tolerations, Taints.NOT_READY, "NoExecute");
        addIfMissing(tolerations, Taints.UNREACHABLE, "NoExecute");
        addIfMissing(tolerations, "node.kubernetes.io/disk-pressure", "NoSchedule");
        addIfMissing(tolerations, "node.kubernetes.io/memory-pressure", "NoSchedule");
        addIfMissing(tolerations, "node.kubernetes.io/pid-pressure", "NoSchedule");
        addIfMissing(tolerations, Taints.UNSCHEDULABLE, "NoSchedule");
        if (Boolean.TRUE.equals(spec.getHostNetwork())) {
            addIfMissing(tolerations, "node.kubernetes.io/network-unavailable", "NoSchedule");
        }
        spec.setTolerations(tolerations);
        return spec;
    }

    private static void addIfMissing(List<Toleration> tolerations, String key, String effect) {
        if (tolerations.stream().noneMatch(t -> key.equals(t.getKey()) && effect.equals(t.getEffect()))) {
            tolerations.add(new TolerationBuilder().withKey(key).withOperator("Exists").withEffect(effect).build());
        }
    }

    /** A new daemon pod for {@code nodeName}; the scheduler binds it there through the affinity. */
    static Pod forNode(DaemonSet ds, String nodeName, String hash) {
        Pod pod = PodControl.fromTemplate(ds.getSpec().getTemplate(), ds, Map.of(REVISION_LABEL, hash,
                TEMPLATE_GENERATION_LABEL, String.valueOf(ds.getMetadata().getGeneration())));
        pod.getMetadata().setGenerateName(ds.getMetadata().getName() + "-");
        pod.setSpec(withDefaultTolerations(pod.getSpec()));
        Affinity affinity = Optional.ofNullable(pod.getSpec().getAffinity()).orElseGet(Affinity::new);
        NodeAffinity nodeAffinity = Optional.ofNullable(affinity.getNodeAffinity()).orElseGet(NodeAffinity::new);
        // Upstream replaces the required terms outright: the controller already checked the node against them.
        nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(new NodeSelectorBuilder().addNewNodeSelectorTerm()
                .withMatchFields(new NodeSelectorRequirementBuilder().withKey("metadata.name").withOperator("In")
                        .withValues(nodeName).build())
                .endNodeSelectorTerm().build());
        affinity.setNodeAffinity(nodeAffinity);
        pod.getSpec().setAffinity(affinity);
        return pod;
    }

    /** The node a daemon pod runs on or is pinned to. */
    static Optional<String> nodeOf(Pod pod) {
        if (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
            return Optional.of(pod.getSpec().getNodeName());
        }
        return Optional.ofNullable(pod.getSpec().getAffinity()).map(Affinity::getNodeAffinity)
                .map(NodeAffinity::getRequiredDuringSchedulingIgnoredDuringExecution)
                .flatMap(s -> s.getNodeSelectorTerms().stream().flatMap(t -> t.getMatchFields() == null ? null
                        : t.getMatchFields().stream()).filter(r -> "metadata.name".equals(r.getKey())
                        && "In".equals(r.getOperator()) && r.getValues() != null && r.getValues().size() == 1)
                        .map(r -> r.getValues().get(0)).findFirst());
    }
}
