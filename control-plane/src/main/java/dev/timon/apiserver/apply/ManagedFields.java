package dev.timon.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apimachinery.Json;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The managers of an object and the fields each owns, decoded from and encoded to {@code metadata.managedFields}.
 * {@link #recordUpdate} is the bookkeeping of writes that are not applies (create, update, patch).
 */
public final class ManagedFields {

    public static final String APPLY = "Apply";
    public static final String UPDATE = "Update";

    private static final String FIELDS_V1 = "FieldsV1";

    /** A manager's identity: entries are keyed by it. Appliers are one manager whatever API version they use. */
    record Manager(String name, String operation, String apiVersion, String subresource) {

        static Manager of(String name, String operation, String apiVersion, String subresource) {
            return new Manager(name, operation, APPLY.equals(operation) ? "" : apiVersion,
                    subresource == null ? "" : subresource);
        }
    }

    /** One managedFields entry; {@code time} may be null. */
    record Entry(Manager manager, String apiVersion, String time, FieldSet fields) {

        ObjectNode toJson() {
            ObjectNode json = Json.MAPPER.createObjectNode();
            json.put("manager", manager.name());
            json.put("operation", manager.operation());
            json.put("apiVersion", apiVersion);
            if (time != null) {
                json.put("time", time);
            }
            json.put("fieldsType", FIELDS_V1);
            json.set("fieldsV1", fields.toFieldsV1());
            if (!manager.subresource().isEmpty()) {
                json.put("subresource", manager.subresource());
            }
            return json;
        }

        static Entry fromJson(JsonNode json) {
            String operation = json.path("operation").asText();
            if (!operation.equals(APPLY) && !operation.equals(UPDATE)) {
                throw new IllegalArgumentException("operation must be `Apply` or `Update`");
            }
            String apiVersion = json.path("apiVersion").asText();
            if (apiVersion.isEmpty()) {
                throw new IllegalArgumentException("apiVersion must not be empty");
            }
            if (!FIELDS_V1.equals(json.path("fieldsType").asText())) {
                throw new IllegalArgumentException("invalid fieldsType " + json.get("fieldsType"));
            }
            JsonNode fields = json.get("fieldsV1");
            return new Entry(Manager.of(json.path("manager").asText(), operation, apiVersion, json.path("subresource").asText()),
                    apiVersion, json.hasNonNull("time") ? json.get("time").asText() : null,
                    fields == null ? FieldSet.empty() : FieldSet.fromFieldsV1(fields));
        }
    }

    /** Upstream's order: Apply before Update, then oldest first, then by manager, API version and subresource. */
    private static final Comparator<Entry> ORDER = Comparator
            .comparing((Entry e) -> e.manager().operation())
            .thenComparing(e -> e.time() == null ? "" : e.time())
            .thenComparing(e -> e.manager().name())
            .thenComparing(Entry::apiVersion)
            .thenComparing(e -> e.manager().subresource());

    private final Map<Manager, Entry> entries = new LinkedHashMap<>();

    private ManagedFields() {
    }

    /** @throws IllegalArgumentException when an entry is malformed */
    static ManagedFields decode(JsonNode managedFields) {
        ManagedFields managed = new ManagedFields();
        if (managedFields != null && managedFields.isArray()) {
            managedFields.forEach(json -> managed.put(Entry.fromJson(json)));
        } else if (managedFields != null && !managedFields.isNull()) {
            throw new IllegalArgumentException("managedFields must be a list");
        }
        return managed;
    }

    /** The managed fields of a stored object; unreadable ones count as none, as upstream treats them. */
    static ManagedFields of(ObjectNode object) {
        try {
            return decode(object == null ? null : object.path("metadata").get("managedFields"));
        } catch (IllegalArgumentException e) {
            return new ManagedFields();
        }
    }

    /**
     * Records a create, update or patch by {@code manager}: the fields it changed become its own (Update entries
     * are keyed by manager, operation, API version and subresource) and leave every other manager; fields it removed
     * leave everyone. Sets {@code after}'s {@code metadata.managedFields} and returns the entries.
     *
     * <p>As upstream: managedFields the request itself changed replace the stored ones ({@code []} clears them,
     * which is how kubectl's client-side-apply migration and users reset ownership); an existing object without
     * managed fields stays untracked until its first apply.
     *
     * @param before      the stored object, null on create
     * @param subresource "status" for writes to the status subresource, else null or ""
     * @param time        RFC 3339, seconds precision
     */
    public static List<ObjectNode> recordUpdate(ObjectNode before, ObjectNode after, Class<?> type, String manager,
                                                String operation, String apiVersion, String time, String subresource) {
        ManagedFields managed = startingPoint(before, after);
        if (managed.entries.isEmpty() && before != null) {
            return managed.writeTo(after);
        }
        Comparison changes = Comparison.of(withoutManagedFields(before), withoutManagedFields(after), Shape.of(type));
        Manager self = Manager.of(manager, operation, apiVersion, subresource);
        managed.release(changes, self, true);
        FieldSet taken = IgnoredFields.remove(changes.changed(), self.subresource());
        Entry previous = managed.entries.get(self);
        FieldSet kept = previous == null ? FieldSet.empty() : previous.fields().difference(changes.removed());
        if (!taken.isEmpty()) {
            managed.put(new Entry(self, apiVersion, time, kept.union(taken)));
        } else if (previous != null) {
            managed.put(new Entry(self, previous.apiVersion(), previous.time(), kept));
        }
        return managed.writeTo(after);
    }

    /** {@link #recordUpdate(ObjectNode, ObjectNode, Class, String, String, String, String, String)} for the main resource. */
    public static List<ObjectNode> recordUpdate(ObjectNode before, ObjectNode after, Class<?> type, String manager,
                                                String operation, String apiVersion, String time) {
        return recordUpdate(before, after, type, manager, operation, apiVersion, time, "");
    }

    private static ManagedFields startingPoint(ObjectNode before, ObjectNode after) {
        JsonNode requested = after.path("metadata").get("managedFields");
        JsonNode stored = before == null ? null : before.path("metadata").get("managedFields");
        if (requested == null || requested.equals(stored)) {
            return of(before);
        }
        if (isReset(requested)) {
            return new ManagedFields();
        }
        ManagedFields fromRequest = of(after);
        return fromRequest.entries.isEmpty() ? of(before) : fromRequest;
    }

    /** {@code []} or {@code [{}]}: the client asks to drop all ownership. */
    private static boolean isReset(JsonNode managedFields) {
        return managedFields.isArray() && (managedFields.isEmpty()
                || managedFields.size() == 1 && managedFields.get(0).isObject() && managedFields.get(0).isEmpty());
    }

    static ObjectNode withoutManagedFields(ObjectNode object) {
        ObjectNode copy = object == null ? Json.MAPPER.createObjectNode() : object.deepCopy();
        if (copy.get("metadata") instanceof ObjectNode metadata) {
            metadata.remove("managedFields");
        }
        return copy;
    }

    Entry get(Manager manager) {
        return entries.get(manager);
    }

    void put(Entry entry) {
        if (entry.fields().isEmpty()) {
            entries.remove(entry.manager());
        } else {
            entries.put(entry.manager(), entry);
        }
    }

    /** Everything some manager owns. */
    FieldSet owned() {
        return entries.values().stream().map(Entry::fields).reduce(FieldSet.empty(), FieldSet::union);
    }

    /**
     * Takes the fields {@code changes} touched away from every manager but {@code self}: changed fields another
     * manager owns are conflicts, moved to {@code self} only when forced; removed fields simply lose their owners.
     *
     * @return the conflicts; when not forced and there are any, nothing was changed
     */
    List<ApplyErrors.Conflict> release(Comparison changes, Manager self, boolean force) {
        List<ApplyErrors.Conflict> conflicts = new ArrayList<>();
        FieldSet changed = changes.changed();
        for (Entry entry : entries.values()) {
            if (!entry.manager().equals(self)) {
                entry.fields().intersection(changed).paths()
                        .forEach(path -> conflicts.add(new ApplyErrors.Conflict(entry.manager(), path)));
            }
        }
        if (!force && !conflicts.isEmpty()) {
            return conflicts;
        }
        for (Entry entry : List.copyOf(entries.values())) {
            if (!entry.manager().equals(self)) {
                put(new Entry(entry.manager(), entry.apiVersion(), entry.time(),
                        entry.fields().difference(changed).difference(changes.removed())));
            }
        }
        return conflicts;
    }

    /** Sets (or, when there are no managers, removes) {@code object}'s managedFields; returns the entries. */
    List<ObjectNode> writeTo(ObjectNode object) {
        List<ObjectNode> encoded = entries.values().stream().sorted(ORDER).map(Entry::toJson).toList();
        JsonNode metadata = object.get("metadata");
        if (encoded.isEmpty()) {
            if (metadata instanceof ObjectNode m) {
                m.remove("managedFields");
            }
            return encoded;
        }
        ObjectNode meta = metadata instanceof ObjectNode m ? m : object.putObject("metadata");
        ArrayNode array = meta.putArray("managedFields");
        encoded.forEach(array::add);
        return encoded;
    }
}
