package dev.timon.controllers;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Taint and toleration matching as the scheduler, the DaemonSet and the taint-eviction controllers use it. */
public final class Taints {

    public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    public static final String NOT_READY = "node.kubernetes.io/not-ready";
    public static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";

    private Taints() {
    }

    public static boolean tolerates(Toleration toleration, Taint taint) {
        if (toleration.getEffect() != null && !toleration.getEffect().isEmpty() && !toleration.getEffect().equals(taint.getEffect())) {
            return false;
        }
        boolean exists = "Exists".equals(toleration.getOperator());
        if (toleration.getKey() == null || toleration.getKey().isEmpty()) {
            return exists;
        }
        return toleration.getKey().equals(taint.getKey())
                && (exists || Objects.equals(Objects.requireNonNullElse(toleration.getValue(), ""),
                Objects.requireNonNullElse(taint.getValue(), "")));
    }

    /** The first of {@code tolerations} that tolerates the taint. */
    public static Optional<Toleration> toleration(List<Toleration> tolerations, Taint taint) {
        return tolerations == null ? Optional.empty() : tolerations.stream().filter(t -> tolerates(t, taint)).findFirst();
    }
}
