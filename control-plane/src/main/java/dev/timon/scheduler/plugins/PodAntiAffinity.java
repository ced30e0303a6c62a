package dev.timon.scheduler.plugins;

import dev.timon.controllers.Selectors;
import dev.timon.scheduler.NodeInfo;
import dev.timon.scheduler.PodInfo;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;

import java.util.List;

/**
 * Required pod anti-affinity with topologyKey kubernetes.io/hostname, both ways: the pod must not land next to
 * pods it repels, nor next to pods that repel it.
 */
public final class PodAntiAffinity implements SchedulerPlugin {

    static final String HOSTNAME = "kubernetes.io/hostname";

    @Override
    public List<String> filter(PodInfo pod, NodeInfo node) {
        return repelled(pod, node) ? List.of("node(s) didn't match pod anti-affinity rules") : List.of();
    }

    private static boolean repelled(PodInfo pod, NodeInfo node) {
        if (!pod.requiredAntiAffinity().isEmpty()) {
            for (PodInfo existing : node.pods()) {
                if (repels(pod.requiredAntiAffinity(), pod.pod(), existing.pod())) {
                    return true;
                }
            }
        }
        // Only pods that carry terms can repel the newcomer, and the node keeps those apart.
        for (PodInfo existing : node.podsWithAntiAffinity()) {
            if (repels(existing.requiredAntiAffinity(), existing.pod(), pod.pod())) {
                return true;
            }
        }
        return false;
    }

    private static boolean repels(List<PodAffinityTerm> terms, Pod owner, Pod other) {
        for (PodAffinityTerm term : terms) {
            boolean sameNamespace = term.getNamespaces() == null || term.getNamespaces().isEmpty()
                    ? owner.getMetadata().getNamespace().equals(other.getMetadata().getNamespace())
                    : term.getNamespaces().contains(other.getMetadata().getNamespace());
            if (HOSTNAME.equals(term.getTopologyKey()) && sameNamespace
                    && Selectors.matches(term.getLabelSelector(), other.getMetadata().getLabels())) {
                return true;
            }
        }
        return false;
    }
}
