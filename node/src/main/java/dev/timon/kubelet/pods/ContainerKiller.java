package dev.timon.kubelet.pods;

import dev.timon.cri.CriClient;
import dev.timon.kubelet.probes.Handlers;
import dev.timon.kubelet.status.EventRecorder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops containers as upstream does: the preStop hook first, then StopContainer (SIGTERM, SIGKILL after the rest
 * of the grace period). A whole pod's containers stop in parallel, then its sandboxes are stopped and removed.
 */
final class ContainerKiller {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerKiller.class);
    /** Upstream never gives StopContainer less than this. */
    private static final long MIN_STOP_SECONDS = 2;

    private final CriClient cri;
    private final Handlers handlers;
    private final EventRecorder events;
    private final ExecutorService killers;

    ContainerKiller(CriClient cri, Handlers handlers, EventRecorder events, ExecutorService killers) {
        this.cri = cri;
        this.handlers = handlers;
        this.events = events;
        this.killers = killers;
    }

    /** Stops one running container; {@code container} and {@code pod} may be null for an orphan (no hook then). */
    void kill(Pod pod, Container container, String containerId, String podIp, long graceSeconds, String message) {
        long start = System.nanoTime();
        if (pod != null && container != null) {
            events.normal(pod, Containers.fieldPath(pod, container.getName()), "Killing", message);
            var lifecycle = container.getLifecycle();
            if (lifecycle != null && lifecycle.getPreStop() != null) {
                var hook = lifecycle.getPreStop();
                var outcome = handlers.run(hook.getExec(), hook.getHttpGet(), hook.getTcpSocket(), hook.getSleep(),
                        new Handlers.Target(container, containerId, podIp), Duration.ofSeconds(Math.max(1, graceSeconds)));
                if (!outcome.success()) {
                    events.warning(pod, Containers.fieldPath(pod, container.getName()), "FailedPreStopHook",
                            "PreStopHook failed: " + outcome.message());
                }
            }
        }
        long spent = (System.nanoTime() - start) / 1_000_000_000L;
        try {
            cri.stopContainer(containerId, Math.max(MIN_STOP_SECONDS, graceSeconds - spent)).join();
        } catch (CompletionException e) {
            LOG.warn("stopping container {}: {}", containerId, e.getCause() == null ? e : e.getCause().toString());
        }
    }

    /** Stops every running container of the pod in parallel, then stops and removes its sandboxes. */
    void terminate(Pod pod, RuntimePod runtime, String podIp, long graceSeconds) {
        var stops = new ArrayList<CompletableFuture<Void>>();
        for (var status : runtime.running()) {
            Container container = pod == null ? null : Containers.find(pod, status.getMetadata().getName());
            stops.add(CompletableFuture.runAsync(() -> kill(pod, container, status.getId(), podIp, graceSeconds,
                    "Stopping container " + status.getMetadata().getName()), killers));
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
        for (var sandbox : runtime.sandboxes()) {
            try {
                cri.stopPodSandbox(sandbox.getId()).join();
                cri.removePodSandbox(sandbox.getId()).join();
            } catch (CompletionException e) {
                LOG.warn("removing sandbox {}: {}", sandbox.getId(), e.getCause() == null ? e : e.getCause().toString());
            }
        }
        // Containers outside any listed sandbox (a half-removed pod) go too.
        for (var status : runtime.containers()) {
            cri.removeContainer(status.getId()).exceptionally(e -> null).join();
        }
    }
}
