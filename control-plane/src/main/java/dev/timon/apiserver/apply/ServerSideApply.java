package dev.timon.apiserver.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apimachinery.ApiException;
import dev.timon.apimachinery.Json;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Server-side apply ({@code application/apply-patch+yaml}) for the main resource, with upstream's field ownership:
 * the applied configuration's fields become the manager's; fields it applied before and dropped are removed unless
 * someone else owns them; changing a field another manager owns is a 409 conflict unless forced.
 *
 * <p>Upstream's client-side-apply bridges for the manager {@code kubectl} are included: conflicts with values the
 * object's last-applied-configuration annotation still matches are taken over without complaint, and that
 * annotation, when present, is rewritten to the new configuration so a later client-side apply sees it.
 */
public final class ServerSideApply {

    /** kubectl's default manager for {@code apply --server-side}, the one upstream's upgrade logic applies to. */
    static final String KUBECTL = "kubectl";
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    /** Takes the ownership of an object that had no managed fields before its first apply. */
    static final String BEFORE_FIRST_APPLY = "before-first-apply";

    /**
     * @param merged        the object to store, with {@code metadata.managedFields} set
     * @param managedFields the entries set there
     * @param changed       false when the object (managedFields aside) is unchanged, so there is nothing to write
     *                      unless ownership changed
     */
    public record Result(ObjectNode merged, List<ObjectNode> managedFields, boolean changed) {
    }

    private ServerSideApply() {
    }

    /** Applies now; see {@link #apply(ObjectNode, ObjectNode, Class, String, boolean, String)}. */
    public static Result apply(ObjectNode live, ObjectNode applied, Class<?> type, String manager, boolean force) {
        return apply(live, applied, type, manager, force, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    /**
     * @param live    the stored object, null when it does not exist yet (apply creates it)
     * @param applied the configuration: a partial object with apiVersion and kind; never changed
     * @param type    the fabric8 model class, e.g. {@code Deployment.class}; null for schemaless objects
     * @param time    the RFC 3339 time recorded for the manager when the object changes
     * @throws ApiException 409 Conflict with FieldManagerConflict causes; 400 for a malformed configuration
     */
    public static Result apply(ObjectNode live, ObjectNode applied, Class<?> type, String manager, boolean force, String time) {
        JsonNode requestedManagedFields = applied.path("metadata").path("managedFields");
        if (!requestedManagedFields.isMissingNode() && !requestedManagedFields.isNull()) {
            throw ApiException.badRequest("metadata.managedFields must be nil");
        }
        Shape shape = Shape.of(type);
        ObjectNode before = ManagedFields.withoutManagedFields(live);
        ObjectNode config = applied.deepCopy();
        // Status is reset on writes to the main resource: it is neither merged nor owned.
        config.remove(IgnoredFields.STATUS);
        ManagedFields managed = ManagedFields.of(live);
        String apiVersion = config.path("apiVersion").asText(before.path("apiVersion").asText());
        if (live != null && managed.owned().isEmpty()) {
            managed.put(new ManagedFields.Entry(
                    ManagedFields.Manager.of(BEFORE_FIRST_APPLY, ManagedFields.UPDATE, before.path("apiVersion").asText(), ""),
                    before.path("apiVersion").asText(), time, IgnoredFields.remove(FieldSet.of(before, type), "")));
        }
        ManagedFields.Manager self = ManagedFields.Manager.of(manager, ManagedFields.APPLY, apiVersion, "");
        ManagedFields.Entry previous = managed.get(self);

        FieldSet applying = IgnoredFields.remove(FieldSet.of(config, type), "");
        managed.put(new ManagedFields.Entry(self, apiVersion, previous == null ? time : previous.time(), applying));
        ObjectNode merged = Merger.merge(before, config, shape);
        if (previous != null) {
            Pruner.remove(merged, previous.fields().difference(managed.owned()), shape);
        }
        Comparison changes = Comparison.of(before, merged, shape);
        List<ApplyErrors.Conflict> conflicts = managed.release(changes, self, force);
        if (!force && !conflicts.isEmpty()) {
            if (!manager.equals(KUBECTL) || !takenOverFromClientSideApply(before, conflicts, shape, type)) {
                throw ApplyErrors.conflicts(conflicts);
            }
            managed.release(changes, self, true);
        }
        if (manager.equals(KUBECTL)) {
            refreshLastApplied(merged, applied);
        }
        boolean changed = !merged.equals(before);
        if (changed) {
            managed.put(new ManagedFields.Entry(self, apiVersion, time, applying));
        }
        return new Result(merged, managed.writeTo(merged), changed);
    }

    /**
     * True when every conflict is on a field whose live value still equals the last-applied-configuration:
     * such fields were set by client-side apply of the same configuration, so kubectl may take them over.
     */
    private static boolean takenOverFromClientSideApply(ObjectNode live, List<ApplyErrors.Conflict> conflicts,
                                                        Shape shape, Class<?> type) {
        JsonNode annotation = live.path("metadata").path("annotations").path(LAST_APPLIED);
        if (!annotation.isTextual() || annotation.asText().isEmpty()) {
            return false;
        }
        ObjectNode lastApplied;
        try {
            JsonNode parsed = Json.MAPPER.readTree(annotation.asText());
            if (!(parsed instanceof ObjectNode object) || !object.path("apiVersion").equals(live.path("apiVersion"))) {
                return false;
            }
            lastApplied = object;
        } catch (JsonProcessingException e) {
            return false;
        }
        Comparison drift = Comparison.of(lastApplied, live, shape);
        FieldSet allowed = FieldSet.of(lastApplied, type).difference(drift.modified()).difference(drift.added())
                .difference(drift.removed());
        return conflicts.stream().allMatch(conflict -> allowed.has(conflict.path()));
    }

    /** Keeps an existing last-applied annotation in step with what kubectl now applies server-side. */
    private static void refreshLastApplied(ObjectNode merged, ObjectNode applied) {
        if (!(merged.path("metadata").path("annotations") instanceof ObjectNode annotations)
                || annotations.path(LAST_APPLIED).asText().isEmpty()) {
            return;
        }
        ObjectNode configuration = applied.deepCopy();
        if (configuration.path("metadata").path("annotations") instanceof ObjectNode own) {
            own.remove(LAST_APPLIED);
        }
        try {
            // Go encodes the annotation from a map, so its keys come out sorted.
            String encoded = Json.MAPPER.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .writeValueAsString(Json.MAPPER.convertValue(configuration, Object.class));
            annotations.put(LAST_APPLIED, encoded);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a JSON tree", e);
        }
    }
}
