package dev.timon.registry;

import dev.timon.apimachinery.Names;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the server knows about one served resource, declared once: identity and scope for discovery,
 * the model class for decoding, the strategy for writes, the columns for Table output and its subresources.
 * A definition may be a view of another's storage ({@link Builder#viewOf}): it serves the same stored objects
 * (same keys, uid and resourceVersion) in its own form, as upstream serves events.k8s.io/v1 Events from the
 * core/v1 Events it stores.
 */
public final class ResourceDefinition<T extends HasMetadata> {

    public static final List<String> ALL_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    private final String group;
    private final String version;
    private final String kind;
    private final String plural;
    private final String singular;
    private final boolean namespaced;
    private final List<String> shortNames;
    private final List<String> categories;
    private final Class<T> type;
    private final ResourceStrategy<T> strategy;
    private final List<TableColumn<T>> columns;
    private final Set<Subresource> subresources;
    private final Names.Rule nameRule;
    private final String storagePrefix;
    private final ScalePolicy<T> scale;
    private final List<String> verbs;
    private final View<T, ?> view;

    private ResourceDefinition(Builder<T> b) {
        this.group = b.group;
        this.version = b.version;
        this.kind = b.kind;
        this.plural = b.plural;
        this.singular = b.kind.toLowerCase();
        this.namespaced = b.namespaced;
        this.shortNames = List.copyOf(b.shortNames);
        this.categories = List.copyOf(b.categories);
        this.type = b.type;
        this.strategy = b.strategy;
        this.columns = List.copyOf(b.view != null && b.columns.isEmpty() ? b.view.columns() : b.columns);
        this.subresources = Set.copyOf(b.subresources);
        this.nameRule = b.nameRule;
        this.view = b.view;
        this.storagePrefix = view == null ? b.plural : view.storage().storagePrefix();
        this.scale = b.scale;
        this.verbs = b.verbs;
        if (view != null && view.storage().namespaced() != namespaced) {
            throw new IllegalArgumentException(qualifiedName() + " must have the scope of the storage it views");
        }
    }

    public static <T extends HasMetadata> Builder<T> of(Class<T> type, String group, String version, String kind, String plural) {
        return new Builder<>(type, group, version, kind, plural);
    }

    public String group() {
        return group;
    }

    public String version() {
        return version;
    }

    /** "v1" for the core group, otherwise "group/version", as objects carry it. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public String kind() {
        return kind;
    }

    public String plural() {
        return plural;
    }

    public String singular() {
        return singular;
    }

    public boolean namespaced() {
        return namespaced;
    }

    public List<String> shortNames() {
        return shortNames;
    }

    public List<String> categories() {
        return categories;
    }

    public Class<T> type() {
        return type;
    }

    public ResourceStrategy<T> strategy() {
        return strategy;
    }

    public List<TableColumn<T>> columns() {
        return columns;
    }

    public boolean has(Subresource subresource) {
        return subresources.contains(subresource);
    }

    public Set<Subresource> subresources() {
        return subresources;
    }

    public Names.Rule nameRule() {
        return nameRule;
    }

    /** The first path segment under /registry/ in etcd: the plural, or the viewed definition's. */
    public String storagePrefix() {
        return storagePrefix;
    }

    /** The definition whose form objects are stored in: this one, or the one this definition is a view of. */
    public ResourceDefinition<?> storage() {
        return view == null ? this : view.storage();
    }

    public boolean isView() {
        return view != null;
    }

    /** A stored object (of {@link #storage()}'s type) in this definition's form; itself unless this is a view. */
    public T fromStorage(HasMetadata stored) {
        return view == null ? type.cast(stored) : view.fromStorage(stored);
    }

    /** An object of this definition in the stored form; itself unless this is a view. */
    public HasMetadata toStorage(T object) {
        return view == null ? object : view.conversion().toStorage(object);
    }

    /** Field selector labels this definition names differently from its storage: its label to the storage's. */
    public Map<String, String> fieldLabels() {
        return view == null ? Map.of() : view.conversion().fieldLabels();
    }

    public ScalePolicy<T> scale() {
        return scale;
    }

    public List<String> verbs() {
        return verbs;
    }

    /** "deployments.apps" or "pods": how errors and Status details name the resource. */
    public String qualifiedName() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    /** The etcd key of an object: /registry/&lt;prefix&gt;/&lt;namespace&gt;/&lt;name&gt; or /registry/&lt;prefix&gt;/&lt;name&gt;. */
    public String key(String namespace, String name) {
        return namespaced ? keyPrefix(namespace) + name : keyPrefix(null) + name;
    }

    /** The etcd prefix holding the objects of one namespace, or of all namespaces when null. */
    public String keyPrefix(String namespace) {
        String all = "/registry/" + storagePrefix + "/";
        return namespaced && namespace != null ? all + namespace + "/" : all;
    }

    /**
     * How a view converts between its own form {@code T} and the stored form {@code S}, as upstream's conversion
     * functions between a served version and the storage version. A result may share parts with its input:
     * the store treats both as read-only.
     */
    public interface Conversion<T extends HasMetadata, S extends HasMetadata> {
        T fromStorage(S stored);

        S toStorage(T object);

        /** Field selector labels the view names differently: its label to the storage form's label. */
        default Map<String, String> fieldLabels() {
            return Map.of();
        }
    }

    private record View<T extends HasMetadata, S extends HasMetadata>(ResourceDefinition<S> storage,
                                                                       Conversion<T, S> conversion) {
        T fromStorage(HasMetadata stored) {
            return conversion.fromStorage(storage.type().cast(stored));
        }

        /** The storage's Table columns, printed from the converted object: a view prints as its storage does. */
        List<TableColumn<T>> columns() {
            return storage.columns().stream().map(c -> new TableColumn<T>(c.name(), c.type(), c.format(),
                    c.description(), c.priority(), o -> c.cell().apply(conversion.toStorage(o)))).toList();
        }
    }

    /** Builds a definition; defaults: namespaced, DNS-1123 subdomain names, all verbs, no subresources. */
    public static final class Builder<T extends HasMetadata> {
        private final Class<T> type;
        private final String group;
        private final String version;
        private final String kind;
        private final String plural;
        private boolean namespaced = true;
        private final List<String> shortNames = new ArrayList<>();
        private final List<String> categories = new ArrayList<>();
        private ResourceStrategy<T> strategy = new ResourceStrategy<>() { };
        private final List<TableColumn<T>> columns = new ArrayList<>();
        private final Set<Subresource> subresources = EnumSet.noneOf(Subresource.class);
        private Names.Rule nameRule = Names.Rule.DNS1123_SUBDOMAIN;
        private View<T, ?> view;
        private ScalePolicy<T> scale;
        private List<String> verbs = ALL_VERBS;

        private Builder(Class<T> type, String group, String version, String kind, String plural) {
            this.type = type;
            this.group = group;
            this.version = version;
            this.kind = kind;
            this.plural = plural;
        }

        public Builder<T> clusterScoped() {
            this.namespaced = false;
            return this;
        }

        public Builder<T> shortNames(String... names) {
            shortNames.addAll(List.of(names));
            return this;
        }

        /** Puts the resource in the "all" category, so `kubectl get all` lists it. */
        public Builder<T> inCategoryAll() {
            categories.add("all");
            return this;
        }

        public Builder<T> strategy(ResourceStrategy<T> strategy) {
            this.strategy = strategy;
            return this;
        }

        public Builder<T> columns(List<TableColumn<T>> columns) {
            this.columns.addAll(columns);
            return this;
        }

        public Builder<T> subresources(Subresource... subresources) {
            this.subresources.addAll(List.of(subresources));
            return this;
        }

        public Builder<T> nameRule(Names.Rule rule) {
            this.nameRule = rule;
            return this;
        }

        /**
         * Serves {@code storage}'s stored objects in this definition's form, converted by {@code conversion}: one
         * etcd prefix and one watch cache for both. Unless given columns, the view prints with the storage's.
         */
        public <S extends HasMetadata> Builder<T> viewOf(ResourceDefinition<S> storage, Conversion<T, S> conversion) {
            this.view = new View<>(storage, conversion);
            return this;
        }

        public Builder<T> scale(ScalePolicy<T> scale) {
            this.scale = scale;
            this.subresources.add(Subresource.SCALE);
            return this;
        }

        public Builder<T> verbs(String... verbs) {
            this.verbs = List.of(verbs);
            return this;
        }

        public ResourceDefinition<T> build() {
            return new ResourceDefinition<>(this);
        }
    }
}
