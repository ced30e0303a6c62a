package dev.timon.scheduler.plugins;

import dev.timon.scheduler.NodeInfo;
import dev.timon.scheduler.PodInfo;

/** Spreads the pods of one controller (e.g. a ReplicaSet) over nodes: fewer siblings on a node, higher score. */
public final class OwnerSpread implements SchedulerPlugin {

    @Override
    public int score(PodInfo pod, NodeInfo node) {
        if (pod.ownerUid() == null) {
            return 100;
        }
        return 100 / (1 + node.podsOwnedBy(pod.ownerUid()));
    }

    @Override
    public int scoreWeight() {
        return 2;
    }
}
