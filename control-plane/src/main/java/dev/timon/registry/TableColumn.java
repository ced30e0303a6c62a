package dev.timon.registry;

import java.util.function.Function;

/**
 * One column of the server-side Table a resource prints (meta.k8s.io/v1 TableColumnDefinition plus the cell function).
 *
 * @param name        column header as upstream names it, e.g. "Name", "Ready", "Nominated Node"
 * @param type        OpenAPI type of the cell: "string", "integer", "number", "boolean", "date"
 * @param format      "name" for the name column, otherwise usually empty
 * @param description what the column shows (upstream uses the field's documentation)
 * @param priority    0 for default columns, 1 for the ones only {@code -o wide} shows
 * @param cell        computes the cell from the object; strings, integers and booleans are printed as they come
 */
public record TableColumn<T>(String name, String type, String format, String description, int priority,
                             Function<T, Object> cell) {

    public static <T> TableColumn<T> of(String name, String type, String description, Function<T, Object> cell) {
        return new TableColumn<>(name, type, "", description, 0, cell);
    }

    public static <T> TableColumn<T> wide(String name, String type, String description, Function<T, Object> cell) {
        return new TableColumn<>(name, type, "", description, 1, cell);
    }
}
