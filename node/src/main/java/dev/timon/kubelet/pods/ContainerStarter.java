package dev.timon.kubelet.pods;

import dev.timon.cri.CriClient;
import dev.timon.kubelet.env.ConfigException;
import dev.timon.kubelet.env.EnvResolver;
import dev.timon.kubelet.env.PodFields;
import dev.timon.kubelet.images.ImagePullException;
import dev.timon.kubelet.images.ImagePuller;
import dev.timon.kubelet.probes.Handlers;
import dev.timon.kubelet.status.EventRecorder;
import dev.timon.kubelet.status.Waiting;
import dev.timon.kubelet.volumes.VolumeManager;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * Starts one container as upstream's startContainer: image, volumes and env, CreateContainer, StartContainer,
 * then the postStart hook. A failure becomes the container's waiting reason (and an event) instead of an error.
 */
final class ContainerStarter {
    private final CriClient cri;
    private final ImagePuller images;
    private final VolumeManager volumes;
    private final EnvResolver env;
    private final ContainerConfigs configs;
    private final Handlers handlers;
    private final ContainerKiller killer;
    private final EventRecorder events;
    private final PodWorkers workers;
    private final String hostIp;
    private final Map<String, Quantity> allocatable;

    ContainerStarter(CriClient cri, ImagePuller images, VolumeManager volumes, EnvResolver env, ContainerConfigs configs,
                     Handlers handlers, ContainerKiller killer, EventRecorder events, PodWorkers workers, String hostIp,
                     Map<String, Quantity> allocatable) {
        this.cri = cri;
        this.images = images;
        this.volumes = volumes;
        this.env = env;
        this.configs = configs;
        this.handlers = handlers;
        this.killer = killer;
        this.events = events;
        this.workers = workers;
        this.hostIp = hostIp;
        this.allocatable = allocatable;
    }

    /**
     * Rewrites the configMap, secret and downward API files of a running pod from their sources, so containers see
     * updates (files only change when their content did). A source gone missing keeps the files as they were and is reported, as upstream's FailedMount.
     */
    void refreshVolumes(Pod pod, Sandbox sandbox) {
        try {
            volumes.setUp(pod, new PodFields(pod, sandbox.podIp(), hostIp, allocatable));
        } catch (ConfigException e) {
            events.warning(pod, "", "FailedMount", "MountVolume.SetUp failed: " + e.getMessage());
        }
    }

    /** Yields whether the container runs now. */
    boolean start(PodState state, Pod pod, Container container, Sandbox sandbox, int restartCount) {
        String fieldPath = Containers.fieldPath(pod, container.getName());
        String imageRef;
        try {
            imageRef = images.ensure(pod, container, fieldPath);
        } catch (ImagePullException e) {
            return failed(state, container, e.reason(), e.getMessage(), Duration.ofSeconds(5));
        } catch (CompletionException e) {
            return failed(state, container, "ErrImagePull", e.getCause().getMessage(), Duration.ofSeconds(5));
        }
        String containerId;
        try {
            var fields = new PodFields(pod, sandbox.podIp(), hostIp, allocatable);
            var volumePaths = volumes.setUp(pod, fields);
            var environment = env.resolve(container, fields);
            var mounts = new ArrayList<>(VolumeManager.mounts(pod, container, volumePaths));
            Path podDir = volumes.podDir(pod.getMetadata().getUid());
            if (HostsFile.wanted(container)) {
                mounts.add(HostsFile.write(podDir, pod, sandbox.podIp()));
            }
            var terminationMessage = TerminationMessages.prepare(podDir, container);
            if (terminationMessage != null) {
                mounts.add(terminationMessage);
            }
            Files.createDirectories(Path.of(sandbox.config().getLogDirectory(), container.getName()));
            var config = configs.build(pod, container, restartCount, imageRef, environment, mounts);
            containerId = cri.createContainer(sandbox.id(), config, sandbox.config()).join();
        } catch (ConfigException e) {
            events.warning(pod, fieldPath, "Failed", "Error: " + e.getMessage());
            return failed(state, container, "CreateContainerConfigError", e.getMessage(), Duration.ofSeconds(10));
        } catch (IOException | CompletionException e) {
            String message = e instanceof CompletionException ? e.getCause().getMessage() : e.getMessage();
            events.warning(pod, fieldPath, "Failed", "Error: " + message);
            return failed(state, container, "CreateContainerError", message, Duration.ofSeconds(10));
        }
        events.normal(pod, fieldPath, "Created", "Created container " + container.getName());
        try {
            cri.startContainer(containerId).join();
        } catch (CompletionException e) {
            events.warning(pod, fieldPath, "Failed", "Error: " + e.getCause().getMessage());
            return failed(state, container, "RunContainerError", e.getCause().getMessage(), Duration.ofSeconds(10));
        }
        events.normal(pod, fieldPath, "Started", "Started container " + container.getName());
        state.waiting.remove(container.getName());
        var lifecycle = container.getLifecycle();
        if (lifecycle != null && lifecycle.getPostStart() != null) {
            var hook = lifecycle.getPostStart();
            var outcome = handlers.run(hook.getExec(), hook.getHttpGet(), hook.getTcpSocket(), hook.getSleep(),
                    new Handlers.Target(container, containerId, sandbox.podIp()), Duration.ofSeconds(ContainerConfigs.gracePeriod(pod)));
            if (!outcome.success()) {
                events.warning(pod, fieldPath, "FailedPostStartHook", "PostStartHook failed: " + outcome.message());
                killer.kill(pod, container, containerId, sandbox.podIp(), ContainerConfigs.gracePeriod(pod),
                        "FailedPostStartHook");
                return false;
            }
        }
        return true;
    }

    private boolean failed(PodState state, Container container, String reason, String message, Duration retry) {
        state.waiting.put(container.getName(), new Waiting(reason, message));
        workers.wakeAt(state.uid, Instant.now().plus(retry));
        return false;
    }
}
