package dev.timon.kubelet.pods;

import dev.timon.cri.CriClient;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import runtime.v1.Api.ContainerFilter;
import runtime.v1.Api.PodSandboxFilter;

/**
 * Upstream's PLEG: polls the runtime every second and wakes the worker of each pod whose sandboxes or containers
 * changed state (a container exited, was OOM-killed, vanished). Sandboxes of pods the API does not hold are
 * handed to the workers for tear-down.
 */
public final class RuntimeChanges {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeChanges.class);

    private final CriClient cri;
    private final PodWorkers workers;
    private final Predicate<String> orphaned;
    private Map<String, String> previous = Map.of();

    /** {@code orphaned} tells whether the API (its informer having synced) holds no pod with a uid. */
    public RuntimeChanges(CriClient cri, PodWorkers workers, Predicate<String> orphaned) {
        this.cri = cri;
        this.workers = workers;
        this.orphaned = orphaned;
    }

    public void start(ScheduledExecutorService timer) {
        timer.scheduleWithFixedDelay(this::poll, 1, 1, TimeUnit.SECONDS);
    }

    private void poll() {
        try {
            var sandboxes = cri.listPodSandboxes(PodSandboxFilter.getDefaultInstance());
            var containers = cri.listContainers(ContainerFilter.getDefaultInstance());
            var current = new HashMap<String, TreeMap<String, String>>();
            for (var sandbox : sandboxes.join()) {
                String uid = sandbox.getLabelsOrDefault(RuntimeLabels.POD_UID, "");
                current.computeIfAbsent(uid, k -> new TreeMap<>()).put(sandbox.getId(), sandbox.getState().name());
            }
            for (var container : containers.join()) {
                String uid = container.getLabelsOrDefault(RuntimeLabels.POD_UID, "");
                current.computeIfAbsent(uid, k -> new TreeMap<>()).put(container.getId(), container.getState().name());
            }
            var fingerprints = new HashMap<String, String>();
            current.forEach((uid, states) -> fingerprints.put(uid, states.toString()));
            Set<String> known = workers.uids();
            for (var entry : fingerprints.entrySet()) {
                String uid = entry.getKey();
                if (uid.isEmpty()) {
                    continue;
                }
                if (!known.contains(uid)) {
                    if (orphaned.test(uid)) {
                        workers.removed(uid);
                    }
                } else if (!entry.getValue().equals(previous.get(uid))) {
                    workers.wake(uid);
                }
            }
            for (String uid : previous.keySet()) {
                if (!fingerprints.containsKey(uid)) {
                    workers.wake(uid);
                }
            }
            previous = fingerprints;
        } catch (RuntimeException e) {
            LOG.warn("runtime poll failed: {}", e.toString());
        }
    }
}
