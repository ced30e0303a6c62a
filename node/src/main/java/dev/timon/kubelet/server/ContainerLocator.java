package dev.timon.kubelet.server;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a pod's runtime objects for the {@link NodeServer}. The node agent implements it from its own state;
 * {@link CriContainerLocator} asks the runtime. Calls may block (the server makes them on a worker thread).
 */
public interface ContainerLocator {

    /** The running (or most recent) container of that name in the pod. */
    Optional<String> containerId(String namespace, String pod, String container);

    /** The pod's ready sandbox. */
    Optional<String> sandboxId(String namespace, String pod);

    /** The container's CRI log file; {@code previous}: the one of the instance before the current one. */
    Optional<Path> logFile(String namespace, String pod, String container, boolean previous);
}
