package dev.timon.scheduler.plugins;

import dev.timon.scheduler.NodeInfo;
import dev.timon.scheduler.PodInfo;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Nodes and pods for plugin tests: a Ready node with 4 cpu, 8Gi and 110 pods, and a pod asking for nothing. */
final class Fixtures {

    private Fixtures() {
    }

    static NodeBuilder node(String name) {
        Map<String, Quantity> allocatable = Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"),
                "pods", new Quantity("110"));
        return new NodeBuilder()
                .withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name).endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus().withAllocatable(allocatable).withCapacity(allocatable)
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus();
    }

    static PodBuilder pod(String name) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("default").withUid("uid-" + name).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("nginx").endContainer().endSpec();
    }

    /** A pod whose only container requests the given resources, e.g. requests("cpu", "500m"). */
    static PodBuilder pod(String name, String... resourceAmounts) {
        Map<String, Quantity> requests = new HashMap<>();
        for (int i = 0; i < resourceAmounts.length; i += 2) {
            requests.put(resourceAmounts[i], new Quantity(resourceAmounts[i + 1]));
        }
        return new PodBuilder(pod(name).build()).editSpec().editFirstContainer().withNewResources()
                .withRequests(requests).endResources().endContainer().endSpec();
    }

    static NodeInfo info(Node node, Pod... pods) {
        PodInfo[] infos = new PodInfo[pods.length];
        for (int i = 0; i < pods.length; i++) {
            infos[i] = PodInfo.of(pods[i]);
        }
        return NodeInfo.of(node, infos);
    }

    static NodeInfo info(UnaryOperator<NodeBuilder> node, Pod... pods) {
        return info(node.apply(node("n1")).build(), pods);
    }

    static PodInfo podInfo(Pod pod) {
        return PodInfo.of(pod);
    }
}
