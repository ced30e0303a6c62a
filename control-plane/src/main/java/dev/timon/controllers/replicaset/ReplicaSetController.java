package dev.timon.controllers.replicaset;

import dev.timon.client.Informers;
import dev.timon.controllers.Controller;
import dev.timon.controllers.ControllerRefs;
import dev.timon.controllers.ControllerContext;
import dev.timon.controllers.Expectations;
import dev.timon.controllers.ObjectKeys;
import dev.timon.controllers.PodConditions;
import dev.timon.controllers.PodControl;
import dev.timon.controllers.Selectors;
import dev.timon.controllers.StatusWrites;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Keeps spec.replicas pods running for each ReplicaSet: creates or deletes pods, adopts matching orphans, releases
 * pods whose labels no longer match, and writes status counts. Expectations hold a key until its own creates and
 * deletes have been seen, so a lagging cache never causes double creation.
 */
public final class ReplicaSetController extends Controller {

    /** Upstream's burstReplicas: at most this many creates or deletes per sync. */
    private static final int BURST = 500;

    private final ControllerContext context;
    private final Expectations expectations = new Expectations();
    private final PodControl podControl;
    private final ExecutorService writes = Executors.newFixedThreadPool(16, r -> {
        Thread thread = new Thread(r, "replicaset-writes");
        thread.setDaemon(true);
        return thread;
    });

    public ReplicaSetController(ControllerContext context) {
        super("replicaset", 4);
        this.context = context;
        this.podControl = new PodControl(context.client(), context.events());
        context.informers().forType(ReplicaSet.class).addEventHandler(enqueueing());
        context.informers().forType(Pod.class).addEventHandler(new PodHandler());
    }

    @Override
    protected void reconcile(String key) throws Exception {
        ReplicaSet rs = context.informers().get(ReplicaSet.class, ObjectKeys.namespace(key), ObjectKeys.name(key));
        if (rs == null) {
            expectations.forget(key);
            return;
        }
        // Expectations first, then the cache, as upstream: a pod observed between the two would otherwise
        // satisfy the expectations yet be missing from the list, and be created again.
        boolean needsSync = expectations.satisfied(key) && !ObjectKeys.isDeleting(rs);
        List<Pod> pods = ControllerRefs.claim(context, rs, rs.getSpec().getSelector(), Pod.class);
        List<Pod> active = pods.stream().filter(PodConditions::isActive).toList();
        if (needsSync) {
            manageReplicas(key, rs, active);
        }
        updateStatus(rs, active);
    }

    private void manageReplicas(String key, ReplicaSet rs, List<Pod> active) throws Exception {
        int desired = Objects.requireNonNullElse(rs.getSpec().getReplicas(), 1);
        int diff = active.size() - desired;
        if (diff < 0) {
            int toCreate = Math.min(-diff, BURST);
            expectations.expectCreations(key, toCreate);
            createInBatches(key, rs, toCreate);
        } else if (diff > 0) {
            List<Pod> victims = PodRanking.deletionOrder(active).subList(0, Math.min(diff, BURST));
            expectations.expectDeletions(key, victims.stream().map(ObjectKeys::key).toList());
            List<Future<?>> deletes = new ArrayList<>();
            for (Pod pod : victims) {
                deletes.add(writes.submit(() -> {
                    try {
                        podControl.delete(pod, rs);
                    } catch (RuntimeException e) {
                        expectations.deletionObserved(key, ObjectKeys.key(pod));
                        throw e;
                    }
                }));
            }
            for (Future<?> delete : deletes) {
                delete.get();
            }
        }
    }

    /**
     * Slow start, as upstream: batches of 1, 2, 4, ... so a failing create (quota, invalid template) fails once
     * rather than hundreds of times.
     */
    private void createInBatches(String key, ReplicaSet rs, int count) throws Exception {
        int remaining = count;
        int batch = 1;
        while (remaining > 0) {
            int size = Math.min(batch, remaining);
            List<Future<?>> creates = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                creates.add(writes.submit(() -> {
                    try {
                        podControl.create(rs.getSpec().getTemplate(), rs, rs.getMetadata().getName() + "-");
                    } catch (RuntimeException e) {
                        if (namespaceTerminating(e)) {
                            return null; // as upstream: no retry, and the expectation stays until it expires
                        }
                        expectations.creationObserved(key);
                        throw e;
                    }
                    return null;
                }));
            }
            Exception failure = null;
            for (Future<?> create : creates) {
                try {
                    create.get();
                } catch (Exception e) {
                    failure = e;
                }
            }
            remaining -= size;
            if (failure != null) {
                for (int i = 0; i < remaining; i++) {
                    expectations.creationObserved(key); // the skipped creates will not be seen either
                }
                throw failure;
            }
            batch *= 2;
        }
    }

    private void updateStatus(ReplicaSet rs, List<Pod> active) {
        int minReady = Objects.requireNonNullElse(rs.getSpec().getMinReadySeconds(), 0);
        Instant now = Instant.now();
        var templateLabels = rs.getSpec().getTemplate().getMetadata() == null ? null
                : rs.getSpec().getTemplate().getMetadata().getLabels();
        int fullyLabeled = 0;
        int ready = 0;
        int available = 0;
        boolean waitingForAvailability = false;
        for (Pod pod : active) {
            if (templateLabels == null || Selectors.matchesAll(templateLabels, pod.getMetadata().getLabels())) {
                fullyLabeled++;
            }
            if (PodConditions.isReady(pod)) {
                ready++;
                if (PodConditions.isAvailable(pod, minReady, now)) {
                    available++;
                } else {
                    waitingForAvailability = true;
                }
            }
        }
        ReplicaSetStatus old = rs.getStatus() == null ? new ReplicaSetStatus() : rs.getStatus();
        ReplicaSetStatus status = new ReplicaSetStatus(available, old.getConditions(), fullyLabeled,
                rs.getMetadata().getGeneration(), ready, active.size(), old.getTerminatingReplicas());
        if (!status.equals(old)) {
            StatusWrites.update(context.client(), rs, copy -> copy.setStatus(status));
        }
        if (waitingForAvailability) {
            queue.addAfter(ObjectKeys.key(rs), Duration.ofSeconds(minReady));
        }
    }

    /** Routes pod events to the owning ReplicaSet and counts them against its expectations. */
    private final class PodHandler implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            String owner = ownerKey(pod);
            if (owner != null) {
                if (pod.getMetadata().getDeletionTimestamp() == null) {
                    expectations.creationObserved(owner);
                } else {
                    expectations.deletionObserved(owner, ObjectKeys.key(pod));
                }
                queue.add(owner);
            } else {
                enqueueMatchingSets(pod);
            }
        }

        @Override
        public void onUpdate(Pod oldPod, Pod pod) {
            String owner = ownerKey(pod);
            String oldOwner = ownerKey(oldPod);
            if (oldOwner != null && !oldOwner.equals(owner)) {
                queue.add(oldOwner);
            }
            if (owner != null) {
                if (pod.getMetadata().getDeletionTimestamp() != null) {
                    expectations.deletionObserved(owner, ObjectKeys.key(pod));
                }
                queue.add(owner);
            } else if (!Objects.equals(oldPod.getMetadata().getLabels(), pod.getMetadata().getLabels())
                    || oldOwner != null) {
                enqueueMatchingSets(pod);
            }
        }

        @Override
        public void onDelete(Pod pod, boolean finalStateUnknown) {
            String owner = ownerKey(pod);
            if (owner != null) {
                expectations.deletionObserved(owner, ObjectKeys.key(pod));
                queue.add(owner);
            }
        }

        private String ownerKey(Pod pod) {
            return ObjectKeys.controllerOf(pod)
                    .filter(ref -> "ReplicaSet".equals(ref.getKind()))
                    .map(ref -> ObjectKeys.key(pod.getMetadata().getNamespace(), ref.getName()))
                    .orElse(null);
        }

        private void enqueueMatchingSets(Pod pod) {
            for (ReplicaSet rs : context.informers().byIndex(ReplicaSet.class, Informers.BY_NAMESPACE,
                    pod.getMetadata().getNamespace())) {
                if (Selectors.matches(rs.getSpec().getSelector(), pod.getMetadata().getLabels())) {
                    enqueue(rs);
                }
            }
        }
    }

    @Override
    public void close() {
        super.close();
        writes.shutdownNow();
    }
}
