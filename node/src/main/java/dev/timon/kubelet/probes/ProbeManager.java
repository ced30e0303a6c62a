package dev.timon.kubelet.probes;

import dev.timon.kubelet.status.EventRecorder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the startup, liveness and readiness probes of running containers, one periodic task per probe, and
 * keeps their results. A change that matters (ready flips, started, liveness or startup gave up) wakes the
 * pod's worker through {@code wake}, which then reports status or restarts the container.
 */
public final class ProbeManager {
    private final Handlers handlers;
    private final ScheduledExecutorService scheduler;
    private final EventRecorder events;
    private final Consumer<String> wake;
    private final Map<String, ContainerProbes> byContainer = new ConcurrentHashMap<>();

    public ProbeManager(Handlers handlers, ScheduledExecutorService scheduler, EventRecorder events, Consumer<String> wake) {
        this.handlers = handlers;
        this.scheduler = scheduler;
        this.events = events;
        this.wake = wake;
    }

    /** Starts the probes of a running container unless they run already. */
    public void ensure(Pod pod, Container container, String containerId, String podIp, String fieldPath) {
        byContainer.computeIfAbsent(containerId, id -> {
            var probes = new ContainerProbes(pod, container, new Handlers.Target(container, containerId, podIp), fieldPath);
            probes.start();
            return probes;
        });
    }

    /** Stops the probes of the pod's containers that are not in {@code running}. */
    public void retain(String podUid, Set<String> running) {
        byContainer.values().removeIf(p -> {
            boolean gone = p.pod.getMetadata().getUid().equals(podUid) && !running.contains(p.target.containerId());
            if (gone) {
                p.stop();
            }
            return gone;
        });
    }

    /** Whether the startup probe succeeded (true without one). */
    public boolean started(String containerId, Container container) {
        var probes = byContainer.get(containerId);
        return container.getStartupProbe() == null || (probes != null && probes.started);
    }

    /** Whether the container is ready per its readiness probe (true without one, once started). */
    public boolean ready(String containerId, Container container) {
        var probes = byContainer.get(containerId);
        if (!started(containerId, container)) {
            return false;
        }
        return container.getReadinessProbe() == null || (probes != null && probes.ready);
    }

    /** Why the container must be restarted (liveness or startup probe gave up), or null. */
    public String restartReason(String containerId) {
        var probes = byContainer.get(containerId);
        return probes == null ? null : probes.restartReason;
    }

    /** The probe's terminationGracePeriodSeconds, if it set one for the kill it asked for. */
    public Long probeGracePeriod(String containerId) {
        var probes = byContainer.get(containerId);
        return probes == null ? null : probes.killGrace;
    }

    private final class ContainerProbes {
        final Pod pod;
        final Container container;
        final Handlers.Target target;
        final String fieldPath;
        volatile boolean started;
        volatile boolean ready;
        volatile String restartReason;
        volatile Long killGrace;
        final Set<ScheduledFuture<?>> tasks = ConcurrentHashMap.newKeySet();

        ContainerProbes(Pod pod, Container container, Handlers.Target target, String fieldPath) {
            this.pod = pod;
            this.container = container;
            this.target = target;
            this.fieldPath = fieldPath;
        }

        void start() {
            schedule("Startup", container.getStartupProbe());
            schedule("Liveness", container.getLivenessProbe());
            schedule("Readiness", container.getReadinessProbe());
        }

        void stop() {
            tasks.forEach(t -> t.cancel(false));
        }

        private void schedule(String kind, Probe probe) {
            if (probe == null) {
                return;
            }
            var worker = new Worker(kind, probe);
            long period = Math.max(1, value(probe.getPeriodSeconds(), 10));
            tasks.add(scheduler.scheduleWithFixedDelay(worker, Math.max(0, value(probe.getInitialDelaySeconds(), 0)) * 1000L,
                    period * 1000L, TimeUnit.MILLISECONDS));
        }

        private final class Worker implements Runnable {
            final String kind;
            final Probe probe;
            int successes;
            int failures;

            Worker(String kind, Probe probe) {
                this.kind = kind;
                this.probe = probe;
            }

            @Override
            public void run() {
                boolean startup = kind.equals("Startup");
                if (restartReason != null || (startup && started) || (!startup && container.getStartupProbe() != null && !started)) {
                    return;
                }
                var outcome = handlers.run(probe.getExec(), probe.getHttpGet(), probe.getTcpSocket(), null, target,
                        Duration.ofSeconds(Math.max(1, value(probe.getTimeoutSeconds(), 1))));
                if (outcome.success()) {
                    failures = 0;
                    successes++;
                    if (successes >= value(probe.getSuccessThreshold(), 1)) {
                        onSuccess();
                    }
                    return;
                }
                successes = 0;
                failures++;
                events.warning(pod, fieldPath, "Unhealthy", kind + " probe failed: " + outcome.message());
                if (failures >= value(probe.getFailureThreshold(), 3)) {
                    onFailure(outcome.message());
                }
            }

            private void onSuccess() {
                switch (kind) {
                    case "Startup" -> {
                        started = true;
                        wake.accept(pod.getMetadata().getUid());
                    }
                    case "Readiness" -> {
                        if (!ready) {
                            ready = true;
                            wake.accept(pod.getMetadata().getUid());
                        }
                    }
                    default -> {
                    }
                }
            }

            private void onFailure(String message) {
                if (kind.equals("Readiness")) {
                    if (ready) {
                        ready = false;
                        wake.accept(pod.getMetadata().getUid());
                    }
                    return;
                }
                killGrace = probe.getTerminationGracePeriodSeconds();
                restartReason = "Container " + container.getName() + " failed " + kind.toLowerCase() + " probe, will be restarted";
                wake.accept(pod.getMetadata().getUid());
            }
        }
    }

    private static int value(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
