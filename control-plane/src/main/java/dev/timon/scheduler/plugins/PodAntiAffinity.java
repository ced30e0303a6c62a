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
        List<PodAffinityTerm> own = terms(pod.pod());
        for (PodInfo existing : node.pods()) {
            if (repels(own, pod.pod(), existing.pod()) || repels(terms(existing.pod()), existing.pod(), pod.pod())) {
                return List.of("node(s) didn't match pod anti-affinity rules");
            }
        }
        return List.of();
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

    private static List<PodAffinityTerm> terms(Pod pod) {
        var affinity = pod.getSpec().getAffinity();
        if (affinity == null || affinity.getPodAntiAffinity() == null
                || affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return List.of();
        }
        return affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    }
}
