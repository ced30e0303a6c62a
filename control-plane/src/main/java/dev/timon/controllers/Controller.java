package dev.timon.controllers;

import dev.timon.apimachinery.StatusCause;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The shape of every controller: informer event handlers put keys on a rate-limited {@link WorkQueue}, and worker
 * threads call {@link #reconcile} for one key at a time. Reconcile reads the informer caches, makes the world
 * match the spec with API writes and must be idempotent; if it throws, the key is retried with back-off, unless a
 * write was refused because its namespace is being deleted.
 * Subclasses register their informer handlers in their constructor, before the informers start.
 */
public abstract class Controller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

    protected final WorkQueue<String> queue;
    private final String name;
    private final int workers;
    private final List<Thread> threads = new ArrayList<>();

    protected Controller(String name, int workers) {
        this(name, workers, RateLimiter.controllerDefault());
    }

    protected Controller(String name, int workers, RateLimiter<String> rateLimiter) {
        this.name = name;
        this.workers = workers;
        this.queue = new WorkQueue<>(rateLimiter);
    }

    public String name() {
        return name;
    }

    /** Makes the object behind the key match its desired state. */
    protected abstract void reconcile(String key) throws Exception;

    /** Starts the workers; call once the informer caches have synced. */
    public void start() {
        for (int i = 0; i < workers; i++) {
            Thread thread = new Thread(this::work, name + "-worker-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void work() {
        while (true) {
            String key;
            try {
                key = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) {
                return;
            }
            try {
                reconcile(key);
                queue.forget(key);
            } catch (Exception e) {
                if (namespaceTerminating(e)) {
                    // Every further create there fails as well, and the namespace's deletion takes the object with it.
                    LOG.debug("{}: dropping {}: its namespace is being deleted", name, key);
                    queue.forget(key);
                    continue;
                }
                int failures = queue.failures(key);
                if (failures < 3) {
                    LOG.debug("{}: retrying {}: {}", name, key, e.toString());
                } else {
                    LOG.warn("{}: retrying {} (failed {} times): {}", name, key, failures, e.toString());
                }
                queue.addRateLimited(key);
            } finally {
                queue.done(key);
            }
        }
    }

    /**
     * Whether a write failed because its namespace is being deleted (the API server's NamespaceTerminating cause),
     * also when wrapped (a create run on another thread): upstream's controllers neither retry such a write nor
     * count it as a failure.
     */
    public static boolean namespaceTerminating(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException e && e.getStatus() != null && e.getStatus().getDetails() != null
                    && e.getStatus().getDetails().getCauses().stream()
                    .anyMatch(c -> StatusCause.NAMESPACE_TERMINATING.equals(c.getReason()))) {
                return true;
            }
        }
        return false;
    }

    public void enqueue(HasMetadata object) {
        queue.add(ObjectKeys.key(object));
    }

    /** An event handler that enqueues the object itself on every add, update and delete. */
    protected <T extends HasMetadata> ResourceEventHandler<T> enqueueing() {
        return on(this::enqueue);
    }

    /** An event handler calling {@code action} with the new object on add and update, the last one on delete. */
    protected static <T extends HasMetadata> ResourceEventHandler<T> on(Consumer<T> action) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                action.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                action.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                action.accept(obj);
            }
        };
    }

    /**
     * Pod events for a controller that tracks {@link Expectations}: enqueues the pod's {@code ownerKind}
     * controller; an add observes a creation, and a deletion (marked or done) observes that deletion. Updates
     * observe no creation: counting them would let a controller act before its own creations are cached.
     */
    protected ResourceEventHandler<Pod> ownedPods(String ownerKind, Expectations expectations) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                ownerKey(pod).ifPresent(key -> {
                    if (ObjectKeys.isDeleting(pod)) {
                        expectations.deletionObserved(key, ObjectKeys.key(pod));
                    } else {
                        expectations.creationObserved(key);
                    }
                    queue.add(key);
                });
            }

            @Override
            public void onUpdate(Pod oldPod, Pod pod) {
                ownerKey(pod).ifPresent(key -> {
                    if (ObjectKeys.isDeleting(pod)) {
                        expectations.deletionObserved(key, ObjectKeys.key(pod));
                    }
                    queue.add(key);
                });
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                ownerKey(pod).ifPresent(key -> {
                    expectations.deletionObserved(key, ObjectKeys.key(pod));
                    queue.add(key);
                });
            }

            private java.util.Optional<String> ownerKey(Pod pod) {
                return ObjectKeys.controllerOf(pod).filter(ref -> ownerKind.equals(ref.getKind()))
                        .map(ref -> ObjectKeys.key(pod.getMetadata().getNamespace(), ref.getName()));
            }
        };
    }

    @Override
    public void close() {
        queue.shutDown();
        threads.forEach(Thread::interrupt);
    }
}
