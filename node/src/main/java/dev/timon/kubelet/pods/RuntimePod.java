package dev.timon.kubelet.pods;

import dev.timon.cri.CriClient;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.CompletableFuture;
import runtime.v1.Api.Container;
import runtime.v1.Api.ContainerFilter;
import runtime.v1.Api.ContainerState;
import runtime.v1.Api.ContainerStatus;
import runtime.v1.Api.PodSandbox;
import runtime.v1.Api.PodSandboxFilter;
import runtime.v1.Api.PodSandboxState;

/** What the runtime holds for one pod uid: its sandboxes and containers (with full status), newest first. */
public record RuntimePod(String uid, List<PodSandbox> sandboxes, List<ContainerStatus> containers, Map<String, String> sandboxOf) {

    public static RuntimePod inspect(CriClient cri, String uid) {
        var sandboxes = cri.listPodSandboxes(PodSandboxFilter.newBuilder().putLabelSelector(RuntimeLabels.POD_UID, uid).build());
        var listed = cri.listContainers(ContainerFilter.newBuilder().putLabelSelector(RuntimeLabels.POD_UID, uid).build());
        var containers = listed
                .thenCompose(list -> {
                    var statuses = list.stream().map(c -> cri.containerStatus(c.getId()).thenApply(r -> r.getStatus())
                            // A container removed between the list and the status call is simply gone.
                            .exceptionally(e -> null)).toList();
                    return CompletableFuture.allOf(statuses.toArray(CompletableFuture[]::new))
                            .thenApply(v -> statuses.stream().map(CompletableFuture::join).filter(s -> s != null)
                                    .sorted(Comparator.comparingLong(ContainerStatus::getCreatedAt).reversed()).toList());
                });
        var sandboxOf = listed.join().stream().collect(Collectors.toMap(Container::getId, Container::getPodSandboxId));
        return new RuntimePod(uid, sandboxes.join().stream()
                .sorted(Comparator.comparingLong(PodSandbox::getCreatedAt).reversed()).toList(), containers.join(), sandboxOf);
    }

    public PodSandbox readySandbox() {
        return sandboxes.stream().filter(s -> s.getState() == PodSandboxState.SANDBOX_READY).findFirst().orElse(null);
    }

    /** Containers of one name, newest first. */
    public List<ContainerStatus> named(String name) {
        return containers.stream().filter(c -> c.getMetadata().getName().equals(name)).toList();
    }

    /** The newest container of a name in the given sandbox, or null. */
    public ContainerStatus latestIn(String name, String sandboxId) {
        return named(name).stream().filter(c -> sandboxId.equals(sandboxOf.get(c.getId()))).findFirst().orElse(null);
    }

    public ContainerStatus latest(String name) {
        var all = named(name);
        return all.isEmpty() ? null : all.get(0);
    }

    public boolean isEmpty() {
        return sandboxes.isEmpty() && containers.isEmpty();
    }

    public List<ContainerStatus> running() {
        return containers.stream().filter(c -> c.getState() == ContainerState.CONTAINER_RUNNING).toList();
    }

    public static int restartCount(ContainerStatus status) {
        try {
            return Integer.parseInt(status.getAnnotationsOrDefault(RuntimeLabels.RESTART_COUNT, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
