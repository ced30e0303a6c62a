package dev.timon.controllers.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.Objects;

/** A Deployment's desired replicas with maxSurge and maxUnavailable resolved as upstream does. */
record RolloutParameters(int replicas, int maxSurge, int maxUnavailable) {

    static RolloutParameters of(Deployment d) {
        int replicas = Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
        var strategy = d.getSpec().getStrategy();
        if (strategy != null && "Recreate".equals(strategy.getType())) {
            return new RolloutParameters(replicas, 0, 0);
        }
        var rolling = strategy == null ? null : strategy.getRollingUpdate();
        int surge = resolve(rolling == null ? null : rolling.getMaxSurge(), replicas, true);
        int unavailable = resolve(rolling == null ? null : rolling.getMaxUnavailable(), replicas, false);
        if (surge == 0 && unavailable == 0) {
            unavailable = 1; // a rollout must be able to move
        }
        return new RolloutParameters(replicas, surge, Math.min(unavailable, replicas));
    }

    /** Percentages round up for surge and down for unavailability; the default is 25%. */
    private static int resolve(IntOrString value, int replicas, boolean roundUp) {
        if (value == null) {
            value = new IntOrString("25%");
        }
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value.getStrVal();
        int percent = Integer.parseInt(text.substring(0, text.length() - 1));
        return roundUp ? (replicas * percent + 99) / 100 : replicas * percent / 100;
    }

    int minAvailable() {
        return replicas - maxUnavailable;
    }
}
