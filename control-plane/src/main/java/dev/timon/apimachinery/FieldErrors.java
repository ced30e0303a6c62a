package dev.timon.apimachinery;

import java.util.ArrayList;
import java.util.List;

/** Collects validation failures with their field paths, like apimachinery's field.ErrorList. */
public final class FieldErrors {

    private final List<StatusCause> causes = new ArrayList<>();

    public FieldErrors required(String field) {
        causes.add(new StatusCause("FieldValueRequired", "Required value", field));
        return this;
    }

    public FieldErrors invalid(String field, Object value, String detail) {
        causes.add(new StatusCause("FieldValueInvalid", "Invalid value: " + quoted(value) + ": " + detail, field));
        return this;
    }

    public FieldErrors notSupported(String field, Object value, List<String> supported) {
        StringBuilder message = new StringBuilder("Unsupported value: " + quoted(value) + ": supported values: ");
        for (int i = 0; i < supported.size(); i++) {
            message.append(i == 0 ? "" : ", ").append('"').append(supported.get(i)).append('"');
        }
        causes.add(new StatusCause("FieldValueNotSupported", message.toString(), field));
        return this;
    }

    public FieldErrors duplicate(String field, Object value) {
        causes.add(new StatusCause("FieldValueDuplicate", "Duplicate value: " + quoted(value), field));
        return this;
    }

    public FieldErrors forbidden(String field, String detail) {
        causes.add(new StatusCause("FieldValueForbidden", "Forbidden: " + detail, field));
        return this;
    }

    /** The message upstream uses for a changed immutable field. */
    public FieldErrors immutable(String field, Object value) {
        causes.add(new StatusCause("FieldValueInvalid", "Invalid value: " + quoted(value) + ": field is immutable", field));
        return this;
    }

    public boolean isEmpty() {
        return causes.isEmpty();
    }

    public List<StatusCause> causes() {
        return List.copyOf(causes);
    }

    private static String quoted(Object value) {
        if (value instanceof GoValue go) {
            return go.rendered();
        }
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        return value == null ? "null" : Json.string(value);
    }
}
