package dev.timon.apiserver.openapi;

import dev.timon.apiserver.openapi.Operation.Parameter;

import java.util.List;
import java.util.stream.Stream;

/** The parameters of each kind of operation, as the API server accepts them. */
final class Parameters {

    static final Parameter NAME = Parameter.path("name", "name of the object");
    static final Parameter NAMESPACE = Parameter.path("namespace", "object name and auth scope, such as for teams and projects");
    static final Parameter PRETTY = Parameter.query("pretty", "string", "If 'true', the output is pretty printed.");

    private static final Parameter DRY_RUN = Parameter.query("dryRun", "string",
            "When present (the only valid value is All), the request is processed but not persisted.");
    private static final Parameter FIELD_MANAGER = Parameter.query("fieldManager", "string",
            "The name of the actor making the change, recorded for field ownership (server-side apply).");
    private static final Parameter FIELD_VALIDATION = Parameter.query("fieldValidation", "string",
            "What to do with unknown or duplicate fields in the request: Ignore, Warn or Strict.");
    private static final Parameter FORCE = Parameter.query("force", "boolean",
            "Apply requests only: take ownership of fields other managers own instead of failing on conflicts.");

    private static final List<Parameter> SELECTION = List.of(
            Parameter.query("continue", "string", "The continue token returned by a previous, limited list call."),
            Parameter.query("fieldSelector", "string", "Restricts the result to objects whose fields match."),
            Parameter.query("labelSelector", "string", "Restricts the result to objects whose labels match."),
            Parameter.query("limit", "integer", "The maximum number of objects to return in one response."),
            Parameter.query("resourceVersion", "string", "Which version of the data the result must be at least as new as."),
            Parameter.query("resourceVersionMatch", "string", "How resourceVersion applies: Exact or NotOlderThan."),
            Parameter.query("timeoutSeconds", "integer", "The duration of the call, regardless of activity."));
    private static final List<Parameter> WATCH = List.of(
            Parameter.query("allowWatchBookmarks", "boolean", "Asks for BOOKMARK events in a watch."),
            Parameter.query("sendInitialEvents", "boolean", "Starts a watch with synthetic ADDED events for the existing objects."),
            Parameter.query("watch", "boolean", "Streams changes to the described objects instead of listing them."));
    private static final List<Parameter> DELETION = List.of(
            DRY_RUN,
            Parameter.query("gracePeriodSeconds", "integer", "Seconds before the object is deleted; zero means now."),
            Parameter.query("orphanDependents", "boolean", "Deprecated: use propagationPolicy."),
            Parameter.query("propagationPolicy", "string", "Whether and how dependents are garbage collected: Orphan, Background or Foreground."));

    static final List<Parameter> WRITE = List.of(DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION);
    static final List<Parameter> PATCH = List.of(DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE);
    static final List<Parameter> DELETE = DELETION;

    private Parameters() {
    }

    static List<Parameter> list(boolean watchable) {
        return watchable ? concat(SELECTION, WATCH) : SELECTION;
    }

    static List<Parameter> deleteCollection() {
        return concat(DELETION, SELECTION);
    }

    static List<Parameter> concat(List<Parameter> a, List<Parameter> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
