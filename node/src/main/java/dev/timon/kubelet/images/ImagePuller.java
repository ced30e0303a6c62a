package dev.timon.kubelet.images;

import dev.timon.cri.CriClient;
import dev.timon.kubelet.pods.Backoff;
import dev.timon.kubelet.status.EventRecorder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes a container's image present per its imagePullPolicy. Concurrent pulls of one image share a single CRI
 * pull (upstream rate-limits instead, which sends a burst of pods into back-off); failures back off per pod
 * and image, 10 s doubling to 5 min, reported as ErrImagePull and then ImagePullBackOff.
 */
public final class ImagePuller {
    private static final Duration PULL_DEADLINE = Duration.ofMinutes(5);

    private final CriClient cri;
    private final EventRecorder events;
    private final ConcurrentHashMap<String, CompletableFuture<String>> pulling = new ConcurrentHashMap<>();
    private final Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5));
    private final ConcurrentHashMap<String, Instant> lastFailure = new ConcurrentHashMap<>();

    public ImagePuller(CriClient cri, EventRecorder events) {
        this.cri = cri;
        this.events = events;
    }

    /** Yields the image reference (id) to create the container from. */
    public String ensure(Pod pod, Container container, String fieldPath) throws ImagePullException {
        String image = container.getImage();
        String policy = policy(container);
        if (!"Always".equals(policy)) {
            var status = cri.imageStatus(CriClient.image(image)).join();
            if (status.hasImage()) {
                events.normal(pod, fieldPath, "Pulled", "Container image \"" + image + "\" already present on machine");
                return status.getImage().getId();
            }
            if ("Never".equals(policy)) {
                String message = "Container image \"" + image + "\" is not present with pull policy of Never";
                events.warning(pod, fieldPath, "ErrImageNeverPull", message);
                throw new ImagePullException("ErrImageNeverPull", message);
            }
        }
        String key = pod.getMetadata().getUid() + "/" + image;
        var failedAt = lastFailure.get(key);
        if (failedAt != null && backoff.blockedUntil(key, failedAt) != null) {
            String message = "Back-off pulling image \"" + image + "\"";
            events.normal(pod, fieldPath, "BackOff", message);
            throw new ImagePullException("ImagePullBackOff", message);
        }
        events.normal(pod, fieldPath, "Pulling", "Pulling image \"" + image + "\"");
        long start = System.nanoTime();
        try {
            String ref = pull(image).join();
            lastFailure.remove(key);
            events.normal(pod, fieldPath, "Pulled", String.format("Successfully pulled image \"%s\" in %.3fs",
                    image, (System.nanoTime() - start) / 1e9));
            return ref;
        } catch (CompletionException e) {
            backoff.next(key);
            lastFailure.put(key, Instant.now());
            var cause = e.getCause() == null ? e : e.getCause();
            String message = "Failed to pull image \"" + image + "\": " + cause.getMessage();
            events.warning(pod, fieldPath, "Failed", message);
            events.warning(pod, fieldPath, "Failed", "Error: ErrImagePull");
            throw new ImagePullException("ErrImagePull", message);
        }
    }

    public void forget(String podUid) {
        backoff.forgetPrefix(podUid + "/");
        lastFailure.keySet().removeIf(k -> k.startsWith(podUid + "/"));
    }

    private CompletableFuture<String> pull(String image) {
        var mine = new CompletableFuture<String>();
        var existing = pulling.putIfAbsent(image, mine);
        if (existing != null) {
            return existing;
        }
        cri.withDeadline(PULL_DEADLINE).pullImage(CriClient.image(image)).whenComplete((ref, error) -> {
            pulling.remove(image, mine);
            if (error != null) {
                mine.completeExceptionally(error);
            } else {
                mine.complete(ref);
            }
        });
        return mine;
    }

    /** The API server defaults the policy; this repeats its rule for objects that lack it. */
    static String policy(Container container) {
        if (container.getImagePullPolicy() != null && !container.getImagePullPolicy().isEmpty()) {
            return container.getImagePullPolicy();
        }
        String image = container.getImage();
        int slash = image.lastIndexOf('/');
        String last = image.substring(slash + 1);
        boolean latest = !last.contains(":") || last.endsWith(":latest");
        return latest && !image.contains("@") ? "Always" : "IfNotPresent";
    }
}
