package dev.timon.apiserver.apply;

import dev.timon.apimachinery.ApiException;
import dev.timon.apimachinery.Json;
import dev.timon.apimachinery.StatusCause;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Status errors of server-side apply, worded as upstream's field manager words them. */
final class ApplyErrors {

    /** One field another manager owns with a different value. */
    record Conflict(ManagedFields.Manager manager, Path path) {
    }

    private ApplyErrors() {
    }

    static ApiException invalid(String message) {
        return ApiException.badRequest(message);
    }

    /** 409 Conflict with a FieldManagerConflict cause per field, conflicts grouped by manager in the message. */
    static ApiException conflicts(List<Conflict> conflicts) {
        List<StatusCause> causes = new ArrayList<>();
        for (Conflict conflict : conflicts) {
            causes.add(new StatusCause("FieldManagerConflict", "conflict with " + describe(conflict.manager()),
                    conflict.path().toString()));
        }
        return new ApiException(409, "Conflict", message(conflicts), ApiException.Target.NONE, causes);
    }

    private static String message(List<Conflict> conflicts) {
        if (conflicts.size() == 1) {
            Conflict only = conflicts.get(0);
            return "Apply failed with 1 conflict: conflict with " + describe(only.manager()) + ": " + only.path();
        }
        Map<String, List<Path>> byManager = new LinkedHashMap<>();
        conflicts.stream()
                .sorted((a, b) -> describe(a.manager()).compareTo(describe(b.manager())))
                .forEach(c -> byManager.computeIfAbsent(describe(c.manager()), m -> new ArrayList<>()).add(c.path()));
        StringBuilder text = new StringBuilder("Apply failed with " + conflicts.size() + " conflicts: ");
        String separator = "";
        for (Map.Entry<String, List<Path>> entry : byManager.entrySet()) {
            text.append(separator).append("conflicts with ").append(entry.getKey()).append(':');
            entry.getValue().forEach(path -> text.append("\n- ").append(path));
            separator = "\n";
        }
        return text.toString();
    }

    /** {@code "name"}, plus the subresource, plus the API version for Update managers (whose identity includes it). */
    private static String describe(ManagedFields.Manager manager) {
        StringBuilder text = new StringBuilder(quote(manager.name()));
        if (!manager.subresource().isEmpty()) {
            text.append(" with subresource ").append(quote(manager.subresource()));
        }
        if (manager.operation().equals(ManagedFields.UPDATE)) {
            text.append(" using ").append(manager.apiVersion());
        }
        return text.toString();
    }

    private static String quote(String text) {
        return Json.string(text);
    }
}
