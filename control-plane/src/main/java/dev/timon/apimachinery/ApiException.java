package dev.timon.apimachinery;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusDetailsBuilder;

import java.util.List;

/**
 * A request failure that becomes a Kubernetes {@code Status} body with the code and reason kubectl prints.
 * Factories follow apimachinery's errors package: {@code notFound}, {@code alreadyExists}, {@code conflict}, ...
 */
public final class ApiException extends RuntimeException {

    private final int code;
    private final String reason;
    private final Target target;
    private final List<StatusCause> causes;

    /** What the failure is about: group, resource (the details' "kind" is the plural) and name. */
    public record Target(String group, String kind, String name) {
        public static final Target NONE = new Target(null, null, null);
    }

    public ApiException(int code, String reason, String message, Target target, List<StatusCause> causes) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.target = target;
        this.causes = causes;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public static String qualified(String group, String resource) {
        return group == null || group.isEmpty() ? resource : resource + "." + group;
    }

    public static ApiException notFound(String group, String resource, String name) {
        return new ApiException(404, "NotFound", qualified(group, resource) + " \"" + name + "\" not found",
                new Target(group, resource, name), List.of());
    }

    public static ApiException alreadyExists(String group, String resource, String name) {
        return new ApiException(409, "AlreadyExists", qualified(group, resource) + " \"" + name + "\" already exists",
                new Target(group, resource, name), List.of());
    }

    public static ApiException conflict(String group, String resource, String name, String why) {
        return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + qualified(group, resource)
                + " \"" + name + "\": " + why, new Target(group, resource, name), List.of());
    }

    /** 422: {@code kind} is the object's Kind, as kubectl prints "The Deployment "x" is invalid: ...". */
    public static ApiException invalid(String group, String kind, String name, List<StatusCause> causes) {
        StringBuilder message = new StringBuilder(kind + " \"" + name + "\" is invalid: ");
        if (causes.size() == 1) {
            message.append(causes.get(0).field()).append(": ").append(causes.get(0).message());
        } else {
            message.append('[');
            for (int i = 0; i < causes.size(); i++) {
                message.append(i == 0 ? "" : ", ").append(causes.get(i).field()).append(": ").append(causes.get(i).message());
            }
            message.append(']');
        }
        return new ApiException(422, "Invalid", message.toString(), new Target(group, kind, name), causes);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message, Target.NONE, List.of());
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "Forbidden", message, Target.NONE, List.of());
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "Unauthorized", "Unauthorized", Target.NONE, List.of());
    }

    public static ApiException methodNotAllowed(String message) {
        return new ApiException(405, "MethodNotAllowed", message, Target.NONE, List.of());
    }

    public static ApiException unsupportedMediaType(String contentType) {
        return new ApiException(415, "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: "
                        + "application/json, application/yaml, application/vnd.kubernetes.protobuf"
                        + (contentType == null ? "" : " (got " + contentType + ")"), Target.NONE, List.of());
    }

    public static ApiException gone(String message) {
        return new ApiException(410, "Expired", message, Target.NONE, List.of());
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(413, "RequestEntityTooLarge", message, Target.NONE, List.of());
    }

    public static ApiException internal(String message) {
        return new ApiException(500, "InternalError", message, Target.NONE, List.of());
    }

    public Status toStatus() {
        StatusBuilder status = new StatusBuilder()
                .withNewMetadata().endMetadata()
                .withStatus("Failure")
                .withMessage(getMessage())
                .withReason(reason)
                .withCode(code);
        if (target != Target.NONE || !causes.isEmpty()) {
            StatusDetailsBuilder details = new StatusDetailsBuilder()
                    .withName(target.name())
                    .withGroup(target.group() == null || target.group().isEmpty() ? null : target.group())
                    .withKind(target.kind());
            causes.forEach(c -> details.addNewCause().withReason(c.reason()).withMessage(c.message()).withField(c.field()).endCause());
            status.withDetails(details.build());
        }
        return status.build();
    }
}
