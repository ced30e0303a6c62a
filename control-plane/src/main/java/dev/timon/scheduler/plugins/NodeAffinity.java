package dev.timon.scheduler.plugins;

import dev.timon.controllers.Selectors;
import dev.timon.scheduler.NodeInfo;
import dev.timon.scheduler.PodInfo;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;

import java.util.List;

/**
 * Filter: spec.nodeSelector and required node affinity (terms ORed, expressions ANDed). Score: the share of
 * preferred-term weight the node matches.
 */
public final class NodeAffinity implements SchedulerPlugin {

    static final String REASON = "node(s) didn't match Pod's node affinity/selector";

    @Override
    public List<String> filter(PodInfo pod, NodeInfo node) {
        boolean fits = (pod.nodeSelector() == null || node.matchesNodeSelector(pod.nodeSelector()))
                && Selectors.requiredAffinityMatches(pod.pod().getSpec(), node.node());
        return fits ? List.of() : List.of(REASON);
    }

    @Override
    public int score(PodInfo pod, NodeInfo node) {
        var affinity = pod.pod().getSpec().getAffinity();
        List<PreferredSchedulingTerm> preferred = affinity == null || affinity.getNodeAffinity() == null ? null
                : affinity.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
        if (preferred == null || preferred.isEmpty()) {
            return 0;
        }
        int total = 0;
        int matched = 0;
        for (PreferredSchedulingTerm term : preferred) {
            total += term.getWeight();
            if (Selectors.matches(term.getPreference(), node.node())) {
                matched += term.getWeight();
            }
        }
        return total == 0 ? 0 : matched * 100 / total;
    }

    @Override
    public int scoreWeight() {
        return 2;
    }
}
