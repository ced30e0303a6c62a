package dev.timon.kubelet.status;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * core/v1 Events about pods, source "kubelet" on this node. Sent from one background thread so a slow API
 * server never delays a pod; a repeat of the same event within a minute is dropped rather than spammed
 * (upstream aggregates with a count instead).
 */
public final class EventRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private static final Duration REPEAT_WINDOW = Duration.ofMinutes(1);

    private final KubernetesClient client;
    private final String nodeName;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        var t = new Thread(r, "events");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentHashMap<String, Instant> recent = new ConcurrentHashMap<>();

    public EventRecorder(KubernetesClient client, String nodeName) {
        this.client = client;
        this.nodeName = nodeName;
    }

    public void normal(Pod pod, String fieldPath, String reason, String message) {
        record(pod, fieldPath, "Normal", reason, message);
    }

    public void warning(Pod pod, String fieldPath, String reason, String message) {
        record(pod, fieldPath, "Warning", reason, message);
    }

    private void record(Pod pod, String fieldPath, String type, String reason, String message) {
        var meta = pod.getMetadata();
        var now = Instant.now();
        String key = meta.getUid() + "\0" + fieldPath + "\0" + reason + "\0" + message;
        var last = recent.get(key);
        if (last != null && last.plus(REPEAT_WINDOW).isAfter(now)) {
            return;
        }
        recent.put(key, now);
        if (recent.size() > 10_000) {
            recent.entrySet().removeIf(e -> e.getValue().plus(REPEAT_WINDOW).isBefore(now));
        }
        ObjectReference involved = new ObjectReferenceBuilder()
                .withApiVersion("v1").withKind("Pod").withNamespace(meta.getNamespace()).withName(meta.getName())
                .withUid(meta.getUid()).withResourceVersion(meta.getResourceVersion()).withFieldPath(fieldPath).build();
        var event = new EventBuilder()
                .withNewMetadata().withNamespace(meta.getNamespace())
                .withName(meta.getName() + "." + Long.toHexString(System.currentTimeMillis() * 1_000_000 + System.nanoTime() % 1_000_000))
                .endMetadata()
                .withInvolvedObject(involved).withType(type).withReason(reason).withMessage(message)
                .withNewSource().withComponent("kubelet").withHost(nodeName).endSource()
                .withReportingComponent("kubelet").withReportingInstance(nodeName)
                .withFirstTimestamp(Times.format(now)).withLastTimestamp(Times.format(now)).withCount(1)
                .build();
        sender.execute(() -> {
            try {
                client.v1().events().inNamespace(meta.getNamespace()).resource(event).create();
            } catch (RuntimeException e) {
                LOG.debug("event {} for {}/{} not recorded: {}", reason, meta.getNamespace(), meta.getName(), e.toString());
            }
        });
    }

    @Override
    public void close() {
        sender.shutdown();
    }
}
