package dev.timon.kubelet.status;

import dev.timon.kubelet.pods.Qos;
import dev.timon.kubelet.pods.RuntimePod;
import dev.timon.kubelet.pods.TerminationMessages;
import dev.timon.kubelet.probes.ProbeManager;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import runtime.v1.Api;

/** Computes a pod's status from the runtime's view, as upstream's kubelet reports it. */
public final class PodStatusGenerator {
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";
    private static final Set<String> OWN_CONDITIONS = Set.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady");

    private final ProbeManager probes;

    public PodStatusGenerator(ProbeManager probes) {
        this.probes = probes;
    }

    /** What the status is computed from. {@code waiting} holds reasons the worker found for containers that could not start. */
    public record Input(Pod pod, RuntimePod runtime, boolean sandboxReady, String podIp, String hostIp,
                       Map<String, Waiting> waiting, String startTime) {
    }

    public PodStatus build(Input in) {
        var pod = in.pod();
        var previous = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        var initStatuses = new ArrayList<ContainerStatus>();
        boolean initDone = true;
        boolean initFailed = false;
        var incompleteInit = new ArrayList<String>();
        for (Container c : pod.getSpec().getInitContainers()) {
            var status = containerStatus(in, c, true, false);
            initStatuses.add(status);
            var terminated = status.getState().getTerminated();
            if (terminated == null || terminated.getExitCode() != 0) {
                initDone = false;
                incompleteInit.add(c.getName());
                boolean failedForGood = terminated != null && "Never".equals(pod.getSpec().getRestartPolicy());
                initFailed |= failedForGood;
            }
        }
        var statuses = new ArrayList<ContainerStatus>();
        var unready = new ArrayList<String>();
        for (Container c : pod.getSpec().getContainers()) {
            var status = containerStatus(in, c, false, initDone);
            statuses.add(status);
            if (!status.getReady()) {
                unready.add(c.getName());
            }
        }
        TerminationMessages.capPerPod(pod, initStatuses);
        TerminationMessages.capPerPod(pod, statuses);
        String phase = phase(pod, previous.getPhase(), initDone, initFailed, statuses);
        boolean terminal = isTerminal(phase);

        var conditions = new ArrayList<PodCondition>();
        conditions.add(condition(previous, "PodReadyToStartContainers", in.sandboxReady() && !terminal, null, null));
        conditions.add(condition(previous, "Initialized", initDone, "ContainersNotInitialized",
                "containers with incomplete status: [" + String.join(" ", incompleteInit) + "]"));
        boolean ready = unready.isEmpty() && !terminal;
        String unreadyReason = terminal && SUCCEEDED.equals(phase) ? "PodCompleted" : "ContainersNotReady";
        String unreadyMessage = SUCCEEDED.equals(phase) ? null : "containers with unready status: [" + String.join(" ", unready) + "]";
        conditions.add(condition(previous, "Ready", ready, unreadyReason, unreadyMessage));
        conditions.add(condition(previous, "ContainersReady", ready, unreadyReason, unreadyMessage));
        previous.getConditions().stream().filter(c -> !OWN_CONDITIONS.contains(c.getType())).forEach(conditions::add);

        var builder = new PodStatusBuilder()
                .withPhase(phase)
                .withConditions(conditions)
                .withHostIP(in.hostIp()).withHostIPs(new HostIP(in.hostIp()))
                .withStartTime(in.startTime())
                .withQosClass(Qos.of(pod))
                .withInitContainerStatuses(initStatuses)
                .withContainerStatuses(statuses);
        String podIp = in.podIp() != null ? in.podIp() : previous.getPodIP();
        if (podIp != null) {
            builder.withPodIP(podIp).withPodIPs(new PodIP(podIp));
        }
        return builder.build();
    }

    private ContainerStatus containerStatus(Input in, Container c, boolean init, boolean initDone) {
        var all = in.runtime().named(c.getName());
        var latest = all.isEmpty() ? null : all.get(0);
        var earlier = all.size() > 1 ? all.get(1) : null;
        var waiting = in.waiting().get(c.getName());
        var builder = new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withImageID("")
                .withRestartCount(0).withReady(false).withStarted(false).withLastState(new ContainerState());
        if (latest == null) {
            String reason = waiting != null ? waiting.reason() : init || initDone ? "ContainerCreating" : "PodInitializing";
            return builder.withState(waitingState(reason, waiting == null ? null : waiting.message())).build();
        }
        builder.withImage(latest.getImage().getImage().isEmpty() ? c.getImage() : latest.getImage().getImage())
                .withImageID(latest.getImageRef())
                .withContainerID("containerd://" + latest.getId())
                .withRestartCount(RuntimePod.restartCount(latest));
        var previousTermination = earlier == null ? new ContainerState() : terminatedState(earlier);
        switch (latest.getState()) {
            case CONTAINER_RUNNING -> {
                boolean started = probes.started(latest.getId(), c);
                builder.withState(new ContainerStateBuilder().withNewRunning().withStartedAt(Times.fromNanos(latest.getStartedAt()))
                                .endRunning().build())
                        .withLastState(previousTermination)
                        .withStarted(started)
                        .withReady(!init && probes.ready(latest.getId(), c));
            }
            case CONTAINER_EXITED -> {
                if (waiting != null) {
                    builder.withState(waitingState(waiting.reason(), waiting.message())).withLastState(terminatedState(latest));
                } else {
                    builder.withState(terminatedState(latest)).withLastState(previousTermination);
                }
            }
            default -> builder.withState(waitingState(waiting != null ? waiting.reason() : "ContainerCreating",
                    waiting == null ? null : waiting.message())).withLastState(previousTermination);
        }
        return builder.build();
    }

    private static ContainerState waitingState(String reason, String message) {
        return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build();
    }

    private static ContainerState terminatedState(Api.ContainerStatus status) {
        if (status.getState() != Api.ContainerState.CONTAINER_EXITED) {
            return new ContainerState();
        }
        return new ContainerStateBuilder().withTerminated(terminated(status)).build();
    }

    private static ContainerStateTerminated terminated(Api.ContainerStatus status) {
        String reason = status.getReason().isEmpty() ? (status.getExitCode() == 0 ? "Completed" : "Error") : status.getReason();
        var builder = new ContainerStateTerminatedBuilder()
                .withExitCode(status.getExitCode()).withReason(reason)
                .withContainerID("containerd://" + status.getId())
                .withFinishedAt(Times.fromNanos(status.getFinishedAt()));
        if (status.getStartedAt() > 0) {
            builder.withStartedAt(Times.fromNanos(status.getStartedAt()));
        }
        // The runtime's own message first, then what the container left, as upstream joins them.
        String left = TerminationMessages.read(status);
        String message = status.getMessage().isEmpty() || left.isEmpty() ? status.getMessage() + left
                : status.getMessage() + ": " + left;
        if (!message.isEmpty()) {
            builder.withMessage(message);
        }
        return builder.build();
    }

    /** Succeeded or Failed: a phase a pod never leaves. */
    public static boolean isTerminal(String phase) {
        return SUCCEEDED.equals(phase) || FAILED.equals(phase);
    }

    /** Upstream's getPhase; a pod once Succeeded or Failed stays so. */
    static String phase(Pod pod, String previousPhase, boolean initDone, boolean initFailed, List<ContainerStatus> statuses) {
        if (isTerminal(previousPhase)) {
            return previousPhase;
        }
        if (initFailed) {
            return FAILED;
        }
        if (!initDone) {
            return "Pending";
        }
        int running = 0;
        int waiting = 0;
        int stopped = 0;
        int succeeded = 0;
        for (var status : statuses) {
            var state = status.getState();
            if (state.getRunning() != null) {
                running++;
            } else if (state.getTerminated() != null) {
                stopped++;
                if (state.getTerminated().getExitCode() == 0) {
                    succeeded++;
                }
            } else if (status.getLastState() != null && status.getLastState().getTerminated() != null) {
                stopped++;
            } else {
                waiting++;
            }
        }
        String policy = pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
        if (waiting > 0) {
            return "Pending";
        }
        if (running > 0) {
            return "Running";
        }
        if (stopped > 0) {
            if ("Always".equals(policy)) {
                return "Running";
            }
            if (stopped == succeeded) {
                return SUCCEEDED;
            }
            return "OnFailure".equals(policy) ? "Running" : FAILED;
        }
        return "Pending";
    }

    /** A condition, keeping the previous lastTransitionTime when its status did not change. */
    private static PodCondition condition(PodStatus previous, String type, boolean value, String reason, String message) {
        String status = value ? "True" : "False";
        var old = previous.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
        String since = old != null && status.equals(old.getStatus()) && old.getLastTransitionTime() != null
                ? old.getLastTransitionTime() : Times.now();
        var condition = new PodCondition();
        condition.setType(type);
        condition.setStatus(status);
        condition.setLastTransitionTime(since);
        if (!value) {
            condition.setReason(reason);
            condition.setMessage(message);
        }
        return condition;
    }
}
