package dev.timon.controllers;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Writes core/v1 Events about objects, as upstream's recorder does: asynchronously (events never slow down a
 * controller and are dropped when the API server cannot keep up), and aggregated: the same reason and message
 * about the same object bumps count and lastTimestamp of the existing Event instead of creating another.
 */
public final class EventRecorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private static final int MAX_REMEMBERED = 4096;
    /** Upstream's maxQueuedEvents: beyond this backlog new events are dropped rather than delaying other writes. */
    private static final int MAX_QUEUED = 1000;

    private final KubernetesClient client;
    private final String component;
    private final ThreadPoolExecutor writer;
    /** Last event written per (object UID, type, reason, message), for aggregation. */
    private final Map<String, Event> recent = new ConcurrentHashMap<>();

    public EventRecorder(KubernetesClient client, String component) {
        this.client = client;
        this.component = component;
        this.writer = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_QUEUED), r -> {
            Thread thread = new Thread(r, component + "-events");
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.DiscardPolicy());
    }

    public void normal(HasMetadata object, String reason, String message) {
        record(object, "Normal", reason, message);
    }

    public void warning(HasMetadata object, String reason, String message) {
        record(object, "Warning", reason, message);
    }

    private void record(HasMetadata object, String type, String reason, String message) {
        writer.execute(() -> {
            try {
                write(object, type, reason, message);
            } catch (Exception e) {
                LOG.debug("could not record event {} on {}: {}", reason, ObjectKeys.key(object), e.toString());
            }
        });
    }

    private void write(HasMetadata object, String type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String aggregationKey = object.getMetadata().getUid() + "|" + type + "|" + reason + "|" + message;
        Event previous = recent.get(aggregationKey);
        if (previous != null) {
            Event bumped = new EventBuilder(previous)
                    .withCount(previous.getCount() == null ? 2 : previous.getCount() + 1)
                    .withLastTimestamp(now)
                    .build();
            bumped.getMetadata().setResourceVersion(null);
            try {
                recent.put(aggregationKey, client.v1().events().resource(bumped).update());
                return;
            } catch (Exception e) {
                recent.remove(aggregationKey); // the event expired or was deleted: write a fresh one
            }
        }
        String namespace = object.getMetadata().getNamespace() == null ? "default" : object.getMetadata().getNamespace();
        Event event = new EventBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(object.getMetadata().getName() + "." + Long.toHexString(System.nanoTime()))
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(object.getApiVersion())
                .withKind(object.getKind())
                .withNamespace(object.getMetadata().getNamespace())
                .withName(object.getMetadata().getName())
                .withUid(object.getMetadata().getUid())
                .withResourceVersion(object.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withNewSource().withComponent(component).endSource()
                .withReportingComponent(component)
                .withReportingInstance(component)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .build();
        Event created = client.v1().events().inNamespace(namespace).resource(event).create();
        if (recent.size() > MAX_REMEMBERED) {
            recent.clear();
        }
        recent.put(aggregationKey, created);
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }
}
