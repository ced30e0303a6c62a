package dev.timon.registry.printers;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The Ready, Status and Restarts cells of a pod, derived together because they come from one walk over the
 * container statuses (the way kube-apiserver's printPod does it).
 */
record PodSummary(int ready, int total, String status, int restarts, Instant lastRestart) {

    private static final Set<String> TERMINAL_PHASES = Set.of("Succeeded", "Failed");

    String readyCell() {
        return ready + "/" + total;
    }

    String restartsCell(Instant now) {
        if (restarts == 0 || lastRestart == null) {
            return Integer.toString(restarts);
        }
        return restarts + " (" + Ages.humanDuration(Duration.between(lastRestart, now)) + " ago)";
    }

    static PodSummary of(Pod pod) {
        PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
        PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        return new Walk(spec, status).summarize(pod.getMetadata() != null
                && pod.getMetadata().getDeletionTimestamp() != null);
    }

    /** Mutable state of one pass over the statuses; kept apart so the record stays a plain value. */
    private static final class Walk {
        private final PodSpec spec;
        private final PodStatus status;
        private String reason;
        private int ready;
        private int restarts;
        private Instant lastRestart;
        // Sidecars (restartable init containers) keep running, so their restarts still count once init is over.
        private int sidecarRestarts;
        private Instant lastSidecarRestart;

        Walk(PodSpec spec, PodStatus status) {
            this.spec = spec;
            this.status = status;
        }

        PodSummary summarize(boolean deleting) {
            reason = status.getReason() != null && !status.getReason().isEmpty()
                    ? status.getReason() : CommonColumns.text(status.getPhase());
            if (hasCondition("PodScheduled", c -> "SchedulingGated".equals(c.getReason()))) {
                reason = "SchedulingGated";
            }
            boolean initializing = walkInitContainers();
            if (!initializing || hasCondition("Initialized", c -> "True".equals(c.getStatus()))) {
                walkContainers();
            }
            if (deleting && "NodeLost".equals(status.getReason())) {
                reason = "Unknown";
            } else if (deleting && !TERMINAL_PHASES.contains(CommonColumns.text(status.getPhase()))) {
                reason = "Terminating";
            }
            return new PodSummary(ready, totalContainers(), reason, restarts, lastRestart);
        }

        private int totalContainers() {
            int sidecars = (int) CommonColumns.list(spec.getInitContainers()).stream()
                    .filter(PodSummary::isSidecar).count();
            return CommonColumns.list(spec.getContainers()).size() + sidecars;
        }

        /** Returns whether the pod is still initializing, having set the reason to the blocking init step. */
        private boolean walkInitContainers() {
            List<ContainerStatus> statuses = CommonColumns.list(status.getInitContainerStatuses());
            int declared = CommonColumns.list(spec.getInitContainers()).size();
            for (int i = 0; i < statuses.size(); i++) {
                ContainerStatus cs = statuses.get(i);
                boolean sidecar = isSidecar(initContainer(cs.getName()));
                Instant finished = lastFinished(cs);
                restarts += CommonColumns.count(cs.getRestartCount());
                lastRestart = later(lastRestart, finished);
                if (sidecar) {
                    sidecarRestarts += CommonColumns.count(cs.getRestartCount());
                    lastSidecarRestart = later(lastSidecarRestart, finished);
                }
                ContainerState state = cs.getState() == null ? new ContainerState() : cs.getState();
                ContainerStateTerminated terminated = state.getTerminated();
                ContainerStateWaiting waiting = state.getWaiting();
                if (terminated != null && CommonColumns.count(terminated.getExitCode()) == 0) {
                    continue;
                }
                if (sidecar && Boolean.TRUE.equals(cs.getStarted())) {
                    if (Boolean.TRUE.equals(cs.getReady())) {
                        ready++;
                    }
                    continue;
                }
                if (terminated != null) {
                    reason = "Init:" + terminationReason(terminated);
                } else if (waiting != null && !isEmpty(waiting.getReason())
                        && !"PodInitializing".equals(waiting.getReason())) {
                    reason = "Init:" + waiting.getReason();
                } else {
                    reason = "Init:" + i + "/" + declared;
                }
                return true;
            }
            return false;
        }

        private void walkContainers() {
            restarts = sidecarRestarts;
            lastRestart = lastSidecarRestart;
            boolean hasRunning = false;
            List<ContainerStatus> statuses = CommonColumns.list(status.getContainerStatuses());
            // Backwards, so the first container with a notable state decides the reason.
            for (int i = statuses.size() - 1; i >= 0; i--) {
                ContainerStatus cs = statuses.get(i);
                restarts += CommonColumns.count(cs.getRestartCount());
                lastRestart = later(lastRestart, lastFinished(cs));
                ContainerState state = cs.getState() == null ? new ContainerState() : cs.getState();
                if (state.getWaiting() != null && !isEmpty(state.getWaiting().getReason())) {
                    reason = state.getWaiting().getReason();
                } else if (state.getTerminated() != null) {
                    reason = terminationReason(state.getTerminated());
                } else if (Boolean.TRUE.equals(cs.getReady()) && state.getRunning() != null) {
                    hasRunning = true;
                    ready++;
                }
            }
            // A pod whose other containers still run is not "Completed" just because one has exited.
            if ("Completed".equals(reason) && hasRunning) {
                reason = hasCondition("Ready", c -> "True".equals(c.getStatus())) ? "Running" : "NotReady";
            }
        }

        private Container initContainer(String name) {
            return CommonColumns.list(spec.getInitContainers()).stream()
                    .filter(c -> c.getName() != null && c.getName().equals(name))
                    .findFirst().orElse(null);
        }

        private boolean hasCondition(String type, Predicate<PodCondition> test) {
            return CommonColumns.list(status.getConditions()).stream()
                    .anyMatch(c -> type.equals(c.getType()) && test.test(c));
        }
    }

    private static boolean isSidecar(Container c) {
        return c != null && "Always".equals(c.getRestartPolicy());
    }

    private static String terminationReason(ContainerStateTerminated t) {
        if (!isEmpty(t.getReason())) {
            return t.getReason();
        }
        int signal = (int) CommonColumns.count(t.getSignal());
        return signal != 0 ? "Signal:" + signal : "ExitCode:" + CommonColumns.count(t.getExitCode());
    }

    private static Instant lastFinished(ContainerStatus cs) {
        ContainerState last = cs.getLastState();
        return last == null || last.getTerminated() == null ? null : Ages.parse(last.getTerminated().getFinishedAt());
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b != null && b.isAfter(a) ? b : a;
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
