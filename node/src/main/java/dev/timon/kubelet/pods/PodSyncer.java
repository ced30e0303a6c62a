package dev.timon.kubelet.pods;

import dev.timon.cri.CriClient;
import dev.timon.kubelet.api.ApiRequests;
import dev.timon.kubelet.images.ImagePuller;
import dev.timon.kubelet.node.PodCgroups;
import dev.timon.kubelet.probes.ProbeManager;
import dev.timon.kubelet.status.EventRecorder;
import dev.timon.kubelet.status.PodStatusGenerator;
import dev.timon.kubelet.status.StatusWriter;
import dev.timon.kubelet.status.Times;
import dev.timon.kubelet.status.Waiting;
import dev.timon.kubelet.volumes.VolumeManager;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import runtime.v1.Api.ContainerState;
import runtime.v1.Api.ContainerStatus;
import runtime.v1.Api.PodSandboxState;

/**
 * Converges one pod through CRI, as upstream's syncPod: a sandbox, init containers in order, then the app
 * containers, restarting per restartPolicy with back-off; reports status when it changed. A pod with a
 * deletionTimestamp is terminated gracefully and then deleted from the API; a pod gone from the API is torn down.
 */
public final class PodSyncer implements PodWorkers.Sync {
    private static final Logger LOG = LoggerFactory.getLogger(PodSyncer.class);
    /** How long an orphan's containers (pod gone from the API) get to stop. */
    private static final long ORPHAN_GRACE_SECONDS = 2;
    /** Dead containers kept per container name: the last one gives lastState and previous logs. */
    private static final int DEAD_CONTAINERS_KEPT = 1;

    private final CriClient cri;
    private final ApiRequests api;
    private final SandboxConfigs sandboxes;
    private final ContainerStarter starter;
    private final ContainerKiller killer;
    private final ProbeManager probes;
    private final PodStatusGenerator statuses;
    private final StatusWriter statusWriter;
    private final VolumeManager volumes;
    private final ImagePuller images;
    private final PodCgroups cgroups;
    private final EventRecorder events;
    private final PodWorkers workers;
    private final String hostIp;
    private final Backoff restarts = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5));

    public PodSyncer(CriClient cri, ApiRequests api, SandboxConfigs sandboxes, ContainerStarter starter, ContainerKiller killer,
                     ProbeManager probes, PodStatusGenerator statuses, StatusWriter statusWriter, VolumeManager volumes,
                     ImagePuller images, PodCgroups cgroups, EventRecorder events, PodWorkers workers, String hostIp) {
        this.cri = cri;
        this.api = api;
        this.sandboxes = sandboxes;
        this.starter = starter;
        this.killer = killer;
        this.probes = probes;
        this.statuses = statuses;
        this.statusWriter = statusWriter;
        this.volumes = volumes;
        this.images = images;
        this.cgroups = cgroups;
        this.events = events;
        this.workers = workers;
        this.hostIp = hostIp;
    }

    @Override
    public boolean sync(PodState state) {
        Pod pod = state.pod;
        var runtime = RuntimePod.inspect(cri, state.uid);
        if (pod == null) {
            if (!runtime.isEmpty()) {
                LOG.info("tearing down pod {}: its object is gone", state.uid);
                killer.terminate(null, runtime, null, ORPHAN_GRACE_SECONDS);
            }
            forget(state.uid);
            return true;
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
            killer.terminate(pod, runtime, podIp(runtime), grace != null ? grace : ContainerConfigs.gracePeriod(pod));
            forget(state.uid);
            api.deleteNow(ApiRequests.podPath(pod.getMetadata().getNamespace(), pod.getMetadata().getName()), state.uid);
            LOG.info("pod {}/{} terminated and deleted", pod.getMetadata().getNamespace(), pod.getMetadata().getName());
            return false;
        }
        if (state.startTime == null) {
            state.startTime = pod.getStatus() != null && pod.getStatus().getStartTime() != null
                    ? pod.getStatus().getStartTime() : Times.now();
        }
        if (isTerminal(pod, state)) {
            // Terminal pods keep their containers (for logs) but release the sandbox and its IP.
            stopSandboxes(runtime);
            report(state, pod, runtime, null);
            return false;
        }
        Sandbox sandbox = ensureSandbox(state, pod, runtime);
        boolean changed = sandbox != null && runtime.readySandbox() == null;
        if (sandbox != null) {
            changed |= startContainers(state, pod, runtime, sandbox);
            if (!changed) {
                starter.refreshVolumes(pod, sandbox); // a container that started has just set them up
            }
        }
        if (changed) {
            runtime = RuntimePod.inspect(cri, state.uid);
        }
        var status = report(state, pod, runtime, sandbox);
        if (PodStatusGenerator.isTerminal(status.getPhase())) {
            stopSandboxes(runtime);
        }
        return false;
    }

    private io.fabric8.kubernetes.api.model.PodStatus report(PodState state, Pod pod, RuntimePod runtime, Sandbox sandbox) {
        var running = new HashSet<String>();
        for (var container : runtime.running()) {
            running.add(container.getId());
            Container spec = Containers.find(pod, container.getMetadata().getName());
            if (spec != null && sandbox != null && !Containers.isInit(pod, spec.getName())) {
                probes.ensure(pod, spec, container.getId(), sandbox.podIp(), Containers.fieldPath(pod, spec.getName()));
            }
        }
        probes.retain(state.uid, running);
        var status = statuses.build(new PodStatusGenerator.Input(pod, runtime, sandbox != null,
                sandbox == null ? null : sandbox.podIp(), hostIp, state.waiting, state.startTime));
        statusWriter.write(pod, status);
        return status;
    }

    /** The pod's ready sandbox, started anew when there is none; null when it cannot be started now. */
    private Sandbox ensureSandbox(PodState state, Pod pod, RuntimePod runtime) {
        var ready = runtime.readySandbox();
        if (ready != null) {
            var config = sandboxes.build(pod, ready.getMetadata().getAttempt());
            return new Sandbox(ready.getId(), config, podIp(runtime));
        }
        int attempt = runtime.sandboxes().isEmpty() ? 0 : runtime.sandboxes().get(0).getMetadata().getAttempt() + 1;
        if (!runtime.sandboxes().isEmpty()) {
            events.normal(pod, "", "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.");
            stopSandboxes(runtime);
        }
        var config = sandboxes.build(pod, attempt);
        try {
            cgroups.resizeBurstable(workers.pods());
            cgroups.ensurePod(Qos.of(pod), state.uid, PodResources.of(pod));
            Files.createDirectories(sandboxes.logDirectory(pod));
            String id = cri.runPodSandbox(config, "").join();
            String ip = Boolean.TRUE.equals(pod.getSpec().getHostNetwork()) ? hostIp
                    : cri.podSandboxStatus(id).join().getStatus().getNetwork().getIp();
            return new Sandbox(id, config, ip);
        } catch (CompletionException | java.io.IOException e) {
            String message = e instanceof CompletionException ? e.getCause().getMessage() : e.getMessage();
            events.warning(pod, "", "FailedCreatePodSandBox", "Failed to create pod sandbox: " + message);
            LOG.warn("sandbox for {}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), message);
            workers.wakeAt(state.uid, Instant.now().plusSeconds(5));
            return null;
        }
    }

    /** Init containers one at a time, then every app container; yields whether anything was started or stopped. */
    private boolean startContainers(PodState state, Pod pod, RuntimePod runtime, Sandbox sandbox) {
        String policy = pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
        for (Container init : pod.getSpec().getInitContainers()) {
            var latest = runtime.latestIn(init.getName(), sandbox.id());
            if (latest != null && latest.getState() == ContainerState.CONTAINER_EXITED && latest.getExitCode() == 0) {
                continue;
            }
            if (latest != null && latest.getState() == ContainerState.CONTAINER_RUNNING) {
                return false;
            }
            // Init containers restart on failure unless the pod never restarts.
            boolean failed = latest != null && latest.getState() == ContainerState.CONTAINER_EXITED;
            if (failed && "Never".equals(policy)) {
                return false;
            }
            return startOrBackOff(state, pod, init, runtime, sandbox, latest);
        }
        boolean changed = false;
        for (Container container : pod.getSpec().getContainers()) {
            var latest = runtime.latestIn(container.getName(), sandbox.id());
            if (latest != null && latest.getState() == ContainerState.CONTAINER_RUNNING) {
                String reason = probes.restartReason(latest.getId());
                if (reason == null && !ContainerConfigs.hash(container).equals(latest.getAnnotationsOrDefault(RuntimeLabels.CONTAINER_HASH, ""))) {
                    reason = "Container " + container.getName() + " definition changed, will be restarted";
                }
                if (reason != null) {
                    Long grace = probes.probeGracePeriod(latest.getId());
                    killer.kill(pod, container, latest.getId(), sandbox.podIp(),
                            grace != null ? grace : ContainerConfigs.gracePeriod(pod), reason);
                    workers.wake(state.uid);
                    changed = true;
                }
                continue;
            }
            if (latest != null && latest.getState() == ContainerState.CONTAINER_EXITED
                    && !shouldRestart(policy, latest.getExitCode())) {
                continue;
            }
            changed |= startOrBackOff(state, pod, container, runtime, sandbox, latest);
        }
        return changed;
    }

    /** Starts a container that never ran or exited, unless its restart back-off holds; yields whether it started. */
    private boolean startOrBackOff(PodState state, Pod pod, Container container, RuntimePod runtime, Sandbox sandbox,
                                   ContainerStatus latest) {
        String key = state.uid + "/" + container.getName();
        if (latest != null && latest.getState() == ContainerState.CONTAINER_EXITED) {
            var until = restarts.blockedUntil(key, Instant.ofEpochSecond(0, latest.getFinishedAt()));
            if (until != null) {
                long seconds = Duration.between(Instant.ofEpochSecond(0, latest.getFinishedAt()), until).toSeconds();
                state.waiting.put(container.getName(), new Waiting("CrashLoopBackOff", "back-off " + seconds
                        + "s restarting failed container=" + container.getName() + " pod=" + pod.getMetadata().getName()
                        + "_" + pod.getMetadata().getNamespace() + "(" + state.uid + ")"));
                events.warning(pod, Containers.fieldPath(pod, container.getName()), "BackOff",
                        "Back-off restarting failed container " + container.getName() + " in pod " + pod.getMetadata().getName());
                workers.wakeAt(state.uid, until);
                return false;
            }
            restarts.next(key);
        }
        var previous = runtime.latest(container.getName());
        int restartCount = previous == null ? 0 : RuntimePod.restartCount(previous) + 1;
        boolean started = starter.start(state, pod, container, sandbox, restartCount);
        pruneDeadContainers(runtime, container.getName());
        return started;
    }

    private void pruneDeadContainers(RuntimePod runtime, String name) {
        var dead = runtime.named(name).stream().filter(c -> c.getState() != ContainerState.CONTAINER_RUNNING).toList();
        for (var container : dead.subList(Math.min(dead.size(), DEAD_CONTAINERS_KEPT), dead.size())) {
            cri.removeContainer(container.getId()).exceptionally(e -> null).join();
            TerminationMessages.forget(container);
        }
    }

    private static boolean shouldRestart(String policy, int exitCode) {
        return switch (policy) {
            case "Never" -> false;
            case "OnFailure" -> exitCode != 0;
            default -> true;
        };
    }

    private String podIp(RuntimePod runtime) {
        var ready = runtime.readySandbox();
        if (ready == null) {
            return null;
        }
        try {
            String ip = cri.podSandboxStatus(ready.getId()).join().getStatus().getNetwork().getIp();
            return ip.isEmpty() ? hostIp : ip;
        } catch (CompletionException e) {
            return null;
        }
    }

    private void stopSandboxes(RuntimePod runtime) {
        for (var sandbox : runtime.sandboxes()) {
            if (sandbox.getState() == PodSandboxState.SANDBOX_READY) {
                cri.stopPodSandbox(sandbox.getId()).exceptionally(e -> null).join();
            }
        }
    }

    private boolean isTerminal(Pod pod, PodState state) {
        var sent = statusWriter.lastSent(state.uid);
        String phase = sent != null ? sent.getPhase() : pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return PodStatusGenerator.isTerminal(phase);
    }

    private void forget(String uid) {
        probes.retain(uid, java.util.Set.of());
        volumes.tearDown(uid);
        cgroups.removePod(uid);
        cgroups.resizeBurstable(workers.pods());
        images.forget(uid);
        restarts.forgetPrefix(uid + "/");
        statusWriter.forget(uid);
    }
}
