package dev.timon.registry.resources;

import dev.timon.registry.ResourceDefinition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventSeries;

import java.util.Map;

/**
 * events.k8s.io/v1 Events as a view of the stored core/v1 Events, field by field as upstream's
 * pkg/apis/events/v1 conversion: regarding is involvedObject, note is message, reportingController is
 * reportingComponent, and the core-only fields come back as deprecatedSource, deprecatedFirstTimestamp,
 * deprecatedLastTimestamp and deprecatedCount.
 */
final class EventsV1Conversion
        implements ResourceDefinition.Conversion<io.fabric8.kubernetes.api.model.events.v1.Event, Event> {

    /** events.k8s.io/v1's field selector labels that name core/v1's differently (upstream's label conversion). */
    private static final Map<String, String> FIELD_LABELS = Map.of(
            "regarding.kind", "involvedObject.kind",
            "regarding.namespace", "involvedObject.namespace",
            "regarding.name", "involvedObject.name",
            "regarding.uid", "involvedObject.uid",
            "regarding.apiVersion", "involvedObject.apiVersion",
            "regarding.resourceVersion", "involvedObject.resourceVersion",
            "regarding.fieldPath", "involvedObject.fieldPath",
            "reportingController", "reportingComponent");

    @Override
    public io.fabric8.kubernetes.api.model.events.v1.Event fromStorage(Event stored) {
        var event = new io.fabric8.kubernetes.api.model.events.v1.Event();
        event.setApiVersion("events.k8s.io/v1");
        event.setKind("Event");
        event.setMetadata(stored.getMetadata());
        event.setEventTime(stored.getEventTime());
        event.setSeries(stored.getSeries() == null ? null : new io.fabric8.kubernetes.api.model.events.v1.EventSeries(
                stored.getSeries().getCount(), stored.getSeries().getLastObservedTime()));
        event.setReportingController(stored.getReportingComponent());
        event.setReportingInstance(stored.getReportingInstance());
        event.setAction(stored.getAction());
        event.setReason(stored.getReason());
        event.setRegarding(stored.getInvolvedObject());
        event.setRelated(stored.getRelated());
        event.setNote(stored.getMessage());
        event.setType(stored.getType());
        event.setDeprecatedSource(stored.getSource());
        event.setDeprecatedFirstTimestamp(stored.getFirstTimestamp());
        event.setDeprecatedLastTimestamp(stored.getLastTimestamp());
        event.setDeprecatedCount(stored.getCount());
        return event;
    }

    @Override
    public Event toStorage(io.fabric8.kubernetes.api.model.events.v1.Event event) {
        Event stored = new Event();
        stored.setApiVersion("v1");
        stored.setKind("Event");
        stored.setMetadata(event.getMetadata());
        stored.setEventTime(event.getEventTime());
        stored.setSeries(event.getSeries() == null ? null
                : new EventSeries(event.getSeries().getCount(), event.getSeries().getLastObservedTime()));
        stored.setReportingComponent(event.getReportingController());
        stored.setReportingInstance(event.getReportingInstance());
        stored.setAction(event.getAction());
        stored.setReason(event.getReason());
        stored.setInvolvedObject(event.getRegarding());
        stored.setRelated(event.getRelated());
        stored.setMessage(event.getNote());
        stored.setType(event.getType());
        stored.setSource(event.getDeprecatedSource());
        stored.setFirstTimestamp(event.getDeprecatedFirstTimestamp());
        stored.setLastTimestamp(event.getDeprecatedLastTimestamp());
        stored.setCount(event.getDeprecatedCount());
        return stored;
    }

    @Override
    public Map<String, String> fieldLabels() {
        return FIELD_LABELS;
    }
}
