package dev.timon.apiserver.apply;

import java.util.List;

/**
 * Fields no manager owns. Upstream strips type and object-identity metadata from every set, and resets the part of
 * the object a write may not change: status for writes to the main resource, spec for writes to status.
 */
final class IgnoredFields {

    static final String STATUS = "status";

    private static final FieldSet STRIPPED = set(
            List.of("apiVersion"), List.of("kind"), List.of("metadata"),
            List.of("metadata", "name"), List.of("metadata", "namespace"), List.of("metadata", "creationTimestamp"),
            List.of("metadata", "selfLink"), List.of("metadata", "uid"), List.of("metadata", "clusterName"),
            List.of("metadata", "generation"), List.of("metadata", "managedFields"), List.of("metadata", "resourceVersion"));

    private static final FieldSet MAIN_RESOURCE_RESET = set(List.of(STATUS));
    private static final FieldSet STATUS_RESET = set(List.of("spec"));

    private IgnoredFields() {
    }

    /** {@code fields} without what nobody owns for a write to {@code subresource} ("" for the main resource). */
    static FieldSet remove(FieldSet fields, String subresource) {
        return fields.difference(STRIPPED).recursiveDifference(STATUS.equals(subresource) ? STATUS_RESET : MAIN_RESOURCE_RESET);
    }

    @SafeVarargs
    private static FieldSet set(List<String>... paths) {
        FieldSet set = FieldSet.empty();
        for (List<String> path : paths) {
            FieldSet level = set;
            for (int i = 0; i < path.size() - 1; i++) {
                level = level.childForInsert(PathElement.field(path.get(i)));
            }
            level.insertMember(PathElement.field(path.get(path.size() - 1)));
        }
        return set;
    }
}
