package dev.timon.kubelet.server;

import dev.timon.cri.CriClient;
import runtime.v1.Api.Container;
import runtime.v1.Api.ContainerFilter;
import runtime.v1.Api.PodSandboxFilter;
import runtime.v1.Api.PodSandboxState;
import runtime.v1.Api.PodSandboxStateValue;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A {@link ContainerLocator} that asks the runtime, using the labels the kubelet puts on sandboxes and
 * containers ({@code io.kubernetes.pod.namespace}, {@code io.kubernetes.pod.name},
 * {@code io.kubernetes.container.name}). Blocks on CRI calls: call it off the event loop.
 */
public final class CriContainerLocator implements ContainerLocator {

    public static final String POD_NAMESPACE_LABEL = "io.kubernetes.pod.namespace";
    public static final String POD_NAME_LABEL = "io.kubernetes.pod.name";
    public static final String CONTAINER_NAME_LABEL = "io.kubernetes.container.name";

    private final CriClient cri;

    public CriContainerLocator(CriClient cri) {
        this.cri = cri;
    }

    @Override
    public Optional<String> containerId(String namespace, String pod, String container) {
        return newestFirst(namespace, pod, container).stream().findFirst().map(Container::getId);
    }

    @Override
    public Optional<String> sandboxId(String namespace, String pod) {
        var filter = PodSandboxFilter.newBuilder()
                .setState(PodSandboxStateValue.newBuilder().setState(PodSandboxState.SANDBOX_READY))
                .putLabelSelector(POD_NAMESPACE_LABEL, namespace).putLabelSelector(POD_NAME_LABEL, pod).build();
        return cri.listPodSandboxes(filter).join().stream()
                .max(Comparator.comparingLong(s -> s.getCreatedAt())).map(s -> s.getId());
    }

    @Override
    public Optional<Path> logFile(String namespace, String pod, String container, boolean previous) {
        return newestFirst(namespace, pod, container).stream().skip(previous ? 1 : 0).findFirst()
                .map(c -> cri.containerStatus(c.getId()).join().getStatus().getLogPath())
                .filter(path -> !path.isEmpty())
                .map(Path::of);
    }

    /** The pod's containers of that name, the current attempt first. */
    private List<Container> newestFirst(String namespace, String pod, String container) {
        var filter = ContainerFilter.newBuilder()
                .putLabelSelector(POD_NAMESPACE_LABEL, namespace).putLabelSelector(POD_NAME_LABEL, pod)
                .putLabelSelector(CONTAINER_NAME_LABEL, container).build();
        return cri.listContainers(filter).join().stream()
                .sorted(Comparator.comparingLong((Container c) -> c.getMetadata().getAttempt())
                        .thenComparingLong(Container::getCreatedAt).reversed())
                .toList();
    }
}
