package dev.timon.registry.resources;

import dev.timon.apimachinery.FieldErrors;
import dev.timon.apimachinery.Names;
import dev.timon.registry.ResourceStrategy;
import io.fabric8.kubernetes.api.model.events.v1.Event;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Writes through events.k8s.io/v1, checked as upstream's ValidateEventCreate and ValidateEventUpdate check them
 * for that API (core/v1 writes are not: upstream keeps them lenient for old clients). Field paths are upstream's,
 * which name the stored core/v1 fields.
 */
final class EventsV1Validation implements ResourceStrategy<Event> {

    private static final int REPORTING_INSTANCE_LIMIT = 128;
    private static final int ACTION_LIMIT = 128;
    private static final int REASON_LIMIT = 128;
    private static final int NOTE_LIMIT = 1024;

    /** What an update through events.k8s.io/v1 may not change, by upstream's field path. */
    private static final List<Map.Entry<String, Function<Event, Object>>> IMMUTABLE = List.of(
            Map.entry("involvedObject", Event::getRegarding),
            Map.entry("reason", Event::getReason),
            Map.entry("message", Event::getNote),
            Map.entry("source", Event::getDeprecatedSource),
            Map.entry("firstTimestamp", Event::getDeprecatedFirstTimestamp),
            Map.entry("lastTimestamp", Event::getDeprecatedLastTimestamp),
            Map.entry("count", Event::getDeprecatedCount),
            Map.entry("type", Event::getType),
            Map.entry("eventTime", Event::getEventTime),
            Map.entry("action", Event::getAction),
            Map.entry("related", Event::getRelated),
            Map.entry("reportingController", Event::getReportingController),
            Map.entry("reportingInstance", Event::getReportingInstance));

    @Override
    public boolean allowCreateOnUpdate() {
        return true;
    }

    /** Upstream's checks of any event that has an eventTime (a "new" event). */
    @Override
    public void validate(Event event, FieldErrors errors) {
        if (event.getEventTime() == null) {
            return;
        }
        String namespace = event.getMetadata().getNamespace();
        if (event.getRegarding() == null || isEmpty(event.getRegarding().getNamespace())) {
            if (!"default".equals(namespace) && !"kube-system".equals(namespace)) {
                errors.invalid("involvedObject.namespace", "", "does not match event.namespace");
            }
        }
        String controller = Objects.toString(event.getReportingController(), "");
        if (controller.isEmpty()) {
            errors.required("reportingController");
        } else {
            Names.qualifiedName(controller).ifPresent(e -> errors.invalid("reportingController", controller, e));
        }
        required(errors, "reportingInstance", event.getReportingInstance(), REPORTING_INSTANCE_LIMIT);
        required(errors, "action", event.getAction(), ACTION_LIMIT);
        required(errors, "reason", event.getReason(), REASON_LIMIT);
        if (event.getNote() != null && event.getNote().length() > NOTE_LIMIT) {
            errors.invalid("message", "", "can have at most " + NOTE_LIMIT + " characters");
        }
    }

    @Override
    public void validateCreate(Event event, FieldErrors errors) {
        validateSeries(event, errors);
        if (event.getEventTime() == null) {
            errors.required("eventTime");
        }
        if (!"Normal".equals(event.getType()) && !"Warning".equals(event.getType())) {
            errors.invalid("type", "", "has invalid value: " + Objects.toString(event.getType(), ""));
        }
        if (event.getDeprecatedFirstTimestamp() != null) {
            errors.invalid("firstTimestamp", "", "needs to be unset");
        }
        if (event.getDeprecatedLastTimestamp() != null) {
            errors.invalid("lastTimestamp", "", "needs to be unset");
        }
        if (event.getDeprecatedCount() != null && event.getDeprecatedCount() != 0) {
            errors.invalid("count", "", "needs to be unset");
        }
        if (event.getDeprecatedSource() != null && (!isEmpty(event.getDeprecatedSource().getComponent())
                || !isEmpty(event.getDeprecatedSource().getHost()))) {
            errors.invalid("source", "", "needs to be unset");
        }
    }

    @Override
    public void validateUpdate(Event event, Event old, FieldErrors errors) {
        if (!Objects.equals(event.getSeries(), old.getSeries())) {
            validateSeries(event, errors);
        }
        for (Map.Entry<String, Function<Event, Object>> field : IMMUTABLE) {
            Object value = field.getValue().apply(event);
            if (!Objects.equals(value, field.getValue().apply(old))) {
                errors.immutable(field.getKey(), value);
            }
        }
    }

    private static void validateSeries(Event event, FieldErrors errors) {
        if (event.getSeries() == null) {
            return;
        }
        if (event.getSeries().getCount() == null || event.getSeries().getCount() < 2) {
            errors.invalid("series.count", "", "should be at least 2");
        }
        if (event.getSeries().getLastObservedTime() == null) {
            errors.required("series.lastObservedTime");
        }
    }

    private static void required(FieldErrors errors, String field, String value, int limit) {
        if (isEmpty(value)) {
            errors.required(field);
        } else if (value.length() > limit) {
            errors.invalid(field, "", "can have at most " + limit + " characters");
        }
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }
}
