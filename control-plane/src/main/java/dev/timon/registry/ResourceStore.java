package dev.timon.registry;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apimachinery.ApiException;
import dev.timon.apimachinery.FieldErrors;
import dev.timon.apimachinery.FieldSelector;
import dev.timon.apimachinery.Json;
import dev.timon.apimachinery.Names;
import dev.timon.apimachinery.StatusCause;
import dev.timon.apiserver.apply.ManagedFields;
import dev.timon.apiserver.apply.ServerSideApply;
import dev.timon.storage.CachedObject;
import dev.timon.storage.EtcdStore;
import dev.timon.storage.ExpiryLeases;
import dev.timon.storage.Precondition;
import dev.timon.storage.StoredValue;
import dev.timon.storage.WatchCache;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The generic store behind every resource, as apiserver's registry Store: object metadata, optimistic
 * concurrency, the status split, generation, finalizers and graceful deletion are handled here once; what is
 * particular to a resource comes from its {@link ResourceStrategy}. Writes go to etcd; reads come from the
 * {@link WatchCache} once it has caught up with etcd.
 */
public final class ResourceStore {

    private static final int MAX_WRITE_ATTEMPTS = 5;
    /** Tries of a generateName create whose generated name was taken, as upstream's RetryGenerateName (GA in 1.32). */
    private static final int MAX_NAME_GENERATION_ATTEMPTS = 8;
    private static final JavaType MANAGED_FIELDS =
            Json.MAPPER.getTypeFactory().constructCollectionType(List.class, ManagedFieldsEntry.class);
    public static final String ORPHAN_FINALIZER = "orphan";
    public static final String FOREGROUND_FINALIZER = "foregroundDeletion";

    private final EtcdStore etcd;
    private final WatchCache cache;
    private final ResourceDefinition<Namespace> namespaces;
    private final UnaryOperator<String> nameGenerator;
    private final ExpiryLeases expiryLeases;

    public ResourceStore(EtcdStore etcd, WatchCache cache, ResourceDefinition<Namespace> namespaces) {
        this(etcd, cache, namespaces, Names::generate);
    }

    /** With the generator of names from generateName given (a test's, to make names collide). */
    ResourceStore(EtcdStore etcd, WatchCache cache, ResourceDefinition<Namespace> namespaces, UnaryOperator<String> nameGenerator) {
        this.etcd = etcd;
        this.cache = cache;
        this.namespaces = namespaces;
        this.nameGenerator = nameGenerator;
        this.expiryLeases = new ExpiryLeases(etcd);
    }

    /**
     * Which part of an object an update may change: all but status, only status, a namespace's finalizers,
     * or (a pod's binding) spec.nodeName together with its conditions.
     */
    public enum Scope {
        MAIN, STATUS, FINALIZE, BINDING
    }

    // ---- reads ----

    /**
     * A consistent read of one object: from the watch cache once it has caught up with etcd's newest
     * revision. The cached object is shared: never mutate it.
     */
    public CompletableFuture<CachedObject> get(ResourceDefinition<?> def, String namespace, String name) {
        String key = def.key(namespace, name);
        return freshness(null).thenApply(rev -> cache.get(def, key).map(o -> o.as(def))
                .orElseThrow(() -> notFound(def, name)));
    }

    /** A list of a view selects and pages on stored objects (see {@link #matcher}) and converts only its page. */
    private static List<CachedObject> as(ResourceDefinition<?> def, List<CachedObject> stored) {
        return def.isView() ? stored.stream().map(o -> o.as(def)).toList() : stored;
    }

    public CompletableFuture<ListResult> list(ResourceDefinition<?> def, ListRequest request) {
        request.fields().checkSupported(supportedFields(def));
        Predicate<CachedObject> filter = matcher(def, request);
        ContinueToken token = request.continueToken() == null || request.continueToken().isEmpty()
                ? null : ContinueToken.decode(request.continueToken());
        CompletableFuture<Long> fresh = freshness(request.resourceVersion());
        return fresh.thenCompose(atLeast -> {
            WatchCache.Page page = cache.list(def, request.namespace(), token == null ? null : token.lastKey(),
                    request.limit(), filter);
            if (token == null || page.revision() == token.revision()) {
                long revision = token == null ? page.revision() : token.revision();
                return CompletableFuture.completedFuture(
                        result(as(def, page.items()), revision, page.more(), request.limit()));
            }
            return listFromEtcdSnapshot(def, request, token, filter);
        });
    }

    /** Later pages of a list whose first page the cache has moved past: read etcd at the first page's revision. */
    private CompletableFuture<ListResult> listFromEtcdSnapshot(ResourceDefinition<?> def, ListRequest request,
                                                               ContinueToken token, Predicate<CachedObject> filter) {
        String prefix = def.keyPrefix(request.namespace());
        return etcd.listAll(prefix, token.lastKey() + "\0", token.revision()).handle((page, error) -> {
            if (error != null) {
                if (String.valueOf(unwrap(error).getMessage()).contains("compacted")) {
                    throw ApiException.gone("The provided continue parameter is too old to display a consistent list "
                            + "result. You can start a new list without the continue parameter.");
                }
                throw new CompletionException(unwrap(error));
            }
            List<CachedObject> items = new ArrayList<>();
            boolean more = false;
            for (StoredValue v : page.items()) {
                CachedObject o = CachedObject.decode(v.key(), v.value(), v.modRevision(), def.storage().type());
                if (filter.test(o)) {
                    if (request.limit() > 0 && items.size() == request.limit()) {
                        more = true;
                        break;
                    }
                    items.add(o);
                }
            }
            return result(as(def, items), token.revision(), more, request.limit());
        });
    }

    private static ListResult result(List<CachedObject> items, long revision, boolean more, int limit) {
        String next = more && limit > 0 && !items.isEmpty()
                ? new ContinueToken(revision, items.get(items.size() - 1).key()).encode() : "";
        return new ListResult(items, revision, next);
    }

    /** Waits until the cache is as new as the request needs; returns that revision. */
    public CompletableFuture<Long> freshness(String resourceVersion) {
        if (resourceVersion == null || resourceVersion.isEmpty()) {
            return cache.waitUntilFresh().exceptionally(e -> {
                throw timeout(e);
            });
        }
        long rv = parseResourceVersion(resourceVersion);
        if (rv == 0) {
            return CompletableFuture.completedFuture(cache.revision());
        }
        return cache.waitFor(rv).handle((v, e) -> {
            if (e != null) {
                throw timeout(e);
            }
            return rv;
        });
    }

    private static ApiException timeout(Throwable e) {
        return new ApiException(504, "Timeout", "Too large resource version", ApiException.Target.NONE, List.of());
    }

    public static long parseResourceVersion(String resourceVersion) {
        try {
            long rv = Long.parseLong(resourceVersion);
            if (rv < 0) {
                throw new NumberFormatException();
            }
            return rv;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid resource version: " + resourceVersion);
        }
    }

    /**
     * The predicate a list or watch applies to stored objects: the namespace by the key prefix (a list reads only
     * that range, but a watch is fanned every change of the resource), then labels and fields. A view's field
     * labels are renamed to its storage's, as upstream converts field labels to the stored form.
     */
    public Predicate<CachedObject> matcher(ResourceDefinition<?> def, ListRequest request) {
        String prefix = def.keyPrefix(request.namespace());
        if (request.labels().isEverything() && request.fields().isEverything()) {
            return o -> o.key().startsWith(prefix);
        }
        FieldSelector fieldSelector = request.fields().renamed(def.fieldLabels());
        Function<HasMetadata, Map<String, String>> extract = object -> fields(def.storage(), object);
        return o -> o.key().startsWith(prefix) && selects(request, fieldSelector, extract, o);
    }

    /** Whether the selectors pick {@code o}; a stored value that does not decode into its type is picked by none. */
    private static boolean selects(ListRequest request, FieldSelector fieldSelector,
                                   Function<HasMetadata, Map<String, String>> extract, CachedObject o) {
        try {
            return (request.labels().isEverything() || request.labels().matches(o.labels()))
                    && (fieldSelector.isEverything() || fieldSelector.matches(o.fields(extract)));
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    public static <T extends HasMetadata> Map<String, String> fields(ResourceDefinition<T> def, HasMetadata object) {
        Map<String, String> fields = new LinkedHashMap<>(def.strategy().selectableFields((T) object));
        fields.put("metadata.name", object.getMetadata().getName());
        if (def.namespaced()) {
            fields.put("metadata.namespace", Objects.toString(object.getMetadata().getNamespace(), ""));
        }
        return fields;
    }

    /** Field selectors a resource accepts: metadata.name, metadata.namespace and its storage's, by its own names. */
    public static Set<String> supportedFields(ResourceDefinition<?> def) {
        Set<String> names = new HashSet<>(def.storage().strategy().selectableFieldNames());
        names.add("metadata.name");
        names.add("metadata.namespace");
        def.fieldLabels().forEach((label, stored) -> {
            names.remove(stored);
            names.add(label);
        });
        return names;
    }

    // ---- create ----

    public <T extends HasMetadata> CompletableFuture<CachedObject> create(ResourceDefinition<T> def, String namespace,
                                                                         ObjectNode body, WriteOptions options) {
        T object = decodeForWrite(def, namespace, body, null);
        ObjectMeta meta = object.getMetadata();
        boolean generatedName = meta.getName() == null || meta.getName().isEmpty();
        if (generatedName) {
            if (meta.getGenerateName() == null || meta.getGenerateName().isEmpty()) {
                throw ApiException.invalid(def.group(), def.kind(), "",
                        new FieldErrors().required("metadata.name").causes());
            }
            meta.setName(nameGenerator.apply(meta.getGenerateName()));
        }
        meta.setUid(UUID.randomUUID().toString());
        meta.setCreationTimestamp(now());
        meta.setResourceVersion(null);
        meta.setDeletionTimestamp(null);
        meta.setDeletionGracePeriodSeconds(null);
        meta.setGeneration(def.strategy().tracksGeneration() ? 1L : null);
        def.strategy().prepareForCreate(object);
        def.strategy().applyDefaults(object);
        return requireNamespace(def, meta.getNamespace())
                .thenCompose(ok -> createWithAllocation(def, object, options, generatedName, 1));
    }

    /**
     * Writes a new object if its key (and any allocation it reserves) is free. A taken reservation is allocated
     * anew, and a taken generated name generated anew, a bounded number of times.
     */
    private <T extends HasMetadata> CompletableFuture<CachedObject> createWithAllocation(ResourceDefinition<T> def, T template,
                                                                                        WriteOptions options,
                                                                                        boolean generatedName, int attempt) {
        // A retry after a taken reservation allocates anew from the untouched template; a retry after a taken
        // generated name needs only the new name, so without allocations the template itself is written.
        T object = def.strategy().allocates() ? Json.copy(template) : template;
        if (generatedName && attempt > 1) {
            object.getMetadata().setName(nameGenerator.apply(template.getMetadata().getGenerateName()));
        }
        def.strategy().allocate(object, null, reservationLookup(def));
        validate(def, object, null);
        recordManager(def, null, object, Json.tree(object), options, Scope.MAIN);
        String key = def.key(object.getMetadata().getNamespace(), object.getMetadata().getName());
        if (options.dryRun()) {
            return CompletableFuture.completedFuture(CachedObject.of(key, 0, object));
        }
        Map<String, String> reservations = def.strategy().reservations(object);
        List<Precondition> conditions = new ArrayList<>();
        conditions.add(Precondition.absent(key));
        reservations.keySet().forEach(k -> conditions.add(Precondition.absent(k)));
        Map<String, byte[]> puts = new LinkedHashMap<>();
        byte[] value = encode(def, object);
        puts.put(key, value);
        reservations.forEach((k, v) -> puts.put(k, reservationValue(key, v)));
        return commit(def, conditions, puts, List.of()).thenCompose(rev -> {
            if (rev.isPresent()) {
                return CompletableFuture.completedFuture(written(def, key, rev.getAsLong(), object, value));
            }
            return etcd.get(key).thenCompose(existing -> {
                boolean retry = existing.isPresent()
                        ? generatedName && attempt < MAX_NAME_GENERATION_ATTEMPTS
                        : !reservations.isEmpty() && attempt < MAX_WRITE_ATTEMPTS;
                if (!retry) {
                    throw ApiException.alreadyExists(def.group(), def.plural(), object.getMetadata().getName());
                }
                return createWithAllocation(def, template, options, generatedName, attempt + 1);
            });
        });
    }

    // ---- update and patch ----

    /** PUT: replaces the object with {@code body}, which must carry the current resourceVersion if any. */
    public <T extends HasMetadata> CompletableFuture<CachedObject> update(ResourceDefinition<T> def, String namespace,
                                                                         String name, ObjectNode body, Scope scope,
                                                                         WriteOptions options) {
        String requiredVersion = body.path("metadata").path("resourceVersion").asText("");
        return mutate(def, namespace, name, scope, options, requiredVersion.isEmpty(), current -> body, true);
    }

    /**
     * PATCH: applies {@code patch} to the current object's JSON. Retries on a concurrent write unless the
     * patch itself names a resourceVersion (then a stale one is a conflict).
     */
    public <T extends HasMetadata> CompletableFuture<CachedObject> patch(ResourceDefinition<T> def, String namespace,
                                                                        String name, Function<ObjectNode, ObjectNode> patch,
                                                                        Scope scope, WriteOptions options) {
        return mutate(def, namespace, name, scope, options, true, patch, false);
    }

    /**
     * Reads the object, computes its new JSON from the current one, and writes it if the object did not
     * change in between (retrying from a fresh read when {@code retryOnConflict}). The first read comes from
     * the watch cache, as upstream's GuaranteedUpdate starts from the cached object: the write's revision
     * precondition catches a stale copy, and anything a stale copy could have caused (a conflict, a failed
     * patch, a no-op) is decided again from etcd.
     */
    public <T extends HasMetadata> CompletableFuture<CachedObject> mutate(ResourceDefinition<T> def, String namespace,
                                                                         String name, Scope scope, WriteOptions options,
                                                                         boolean retryOnConflict,
                                                                         Function<ObjectNode, ObjectNode> change,
                                                                         boolean createIfMissing) {
        return mutate(def, namespace, name, scope, options, retryOnConflict, change, createIfMissing, true);
    }

    private <T extends HasMetadata> CompletableFuture<CachedObject> mutate(ResourceDefinition<T> def, String namespace,
                                                                          String name, Scope scope, WriteOptions options,
                                                                          boolean retryOnConflict,
                                                                          Function<ObjectNode, ObjectNode> change,
                                                                          boolean createIfMissing, boolean fromCache) {
        return fromCacheThenEtcd(def, def.key(namespace, name), fromCache,
                read -> mutateRead(def, namespace, name, scope, options, retryOnConflict, change, createIfMissing, read),
                () -> mutate(def, namespace, name, scope, options, retryOnConflict, change, createIfMissing, false));
    }

    private <T extends HasMetadata> CompletableFuture<CachedObject> mutateRead(ResourceDefinition<T> def, String namespace,
                                                                              String name, Scope scope, WriteOptions options,
                                                                              boolean retryOnConflict,
                                                                              Function<ObjectNode, ObjectNode> change,
                                                                              boolean createIfMissing, Current read) {
        if (read.value().isEmpty()) {
            if (createIfMissing && def.strategy().allowCreateOnUpdate() && scope == Scope.MAIN) {
                ObjectNode body = change.apply(null);
                return create(def, namespace, body, options);
            }
            throw notFound(def, name);
        }
        StoredValue stored = read.value().get();
        T old = read.object(def);
        ObjectNode current = Json.tree(old);
        ObjectNode proposed = change.apply(current.deepCopy());
        T updated = prepareUpdate(def, namespace, name, old, current, proposed, scope);
        ObjectNode updatedTree = Json.tree(updated); // one conversion serves the no-op check and managedFields
        if (updatedTree.equals(current)) {
            if (read.cached()) {
                throw new StaleRead(); // a no-op against the cache may be a change against etcd: decide there
            }
            return CompletableFuture.completedFuture(written(def, stored.key(), stored.modRevision(), old, stored.value()));
        }
        recordManager(def, current, updated, updatedTree, options, scope);
        if (options.dryRun()) {
            return CompletableFuture.completedFuture(CachedObject.of(stored.key(), stored.modRevision(), updated));
        }
        if (updated.getMetadata().getDeletionTimestamp() != null && !holdsDeletion(def, updated)) {
            return remove(def, stored, old).thenCompose(removed -> removed
                    ? CompletableFuture.completedFuture(CachedObject.of(stored.key(), stored.modRevision(), updated))
                    : mutate(def, namespace, name, scope, options, retryOnConflict, change, createIfMissing, false));
        }
        byte[] value = encode(def, updated);
        return write(def, stored, old, updated, value).thenCompose(rev -> {
            if (rev.isPresent()) {
                return CompletableFuture.completedFuture(written(def, stored.key(), rev.getAsLong(), updated, value));
            }
            if (!retryOnConflict && !read.cached()) {
                throw ApiException.conflict(def.group(), def.plural(), name,
                        "the object has been modified; please apply your changes to the latest version and try again");
            }
            return mutate(def, namespace, name, scope, options, retryOnConflict, change, createIfMissing, false);
        });
    }

    /**
     * The object a write starts from, and whether it came from the watch cache (and so may be stale). A cached
     * one comes decoded: the shared object, which a write reads but never changes.
     */
    private record Current(Optional<StoredValue> value, HasMetadata decoded, boolean cached) {
        <T extends HasMetadata> T object(ResourceDefinition<T> def) {
            return def.fromStorage(decoded != null ? decoded : decode(def.storage(), value.orElseThrow()));
        }
    }

    /** Thrown to re-decide a write from etcd when the cached copy it started from may have misled it. */
    private static final class StaleRead extends RuntimeException {
        StaleRead() {
            super("decided on a cached copy; re-reading from etcd", null, false, false);
        }
    }

    /**
     * Runs {@code attempt} on the current object; when that object came from the cache, any failure (a stale copy
     * may have caused it) is decided again by {@code fromEtcd}.
     */
    private <R> CompletableFuture<R> fromCacheThenEtcd(ResourceDefinition<?> def, String key, boolean fromCache,
                                                      Function<Current, CompletableFuture<R>> attempt,
                                                      Supplier<CompletableFuture<R>> fromEtcd) {
        return current(def, key, fromCache).thenCompose(read -> {
            CompletableFuture<R> result;
            try {
                result = attempt.apply(read);
            } catch (RuntimeException e) {
                result = CompletableFuture.failedFuture(e);
            }
            return read.cached() ? result.exceptionallyCompose(e -> fromEtcd.get()) : result;
        });
    }

    /** The cached object when {@code fromCache} and the cache holds it, else etcd's. */
    private CompletableFuture<Current> current(ResourceDefinition<?> def, String key, boolean fromCache) {
        if (fromCache) {
            Optional<CachedObject> cached = cache.get(def, key);
            if (cached.isPresent()) {
                CachedObject o = cached.get();
                return CompletableFuture.completedFuture(
                        new Current(Optional.of(new StoredValue(key, o.json(), o.revision())), o.object(), true));
            }
        }
        return etcd.get(key).thenApply(v -> new Current(v, null, false));
    }

    /** What a server-side apply did: the object, and whether the apply created it. */
    public record Applied(CachedObject object, boolean created) {
    }

    /**
     * Server-side apply: merges {@code configuration} into the live object with field ownership for
     * {@code manager}, or creates the object from it when it does not exist.
     */
    public <T extends HasMetadata> CompletableFuture<Applied> apply(ResourceDefinition<T> def, String namespace, String name,
                                                                   ObjectNode configuration, String manager, boolean force,
                                                                   boolean dryRun) {
        WriteOptions options = new WriteOptions(dryRun, null);
        return etcd.get(def.key(namespace, name)).thenCompose(stored -> {
            if (stored.isEmpty()) {
                ObjectNode created = ServerSideApply.apply(null, configuration, def.type(), manager, force).merged();
                created.with("metadata").put("name", name);
                return create(def, namespace, created, options).thenApply(o -> new Applied(o, true));
            }
            return mutate(def, namespace, name, Scope.MAIN, options, true,
                    current -> ServerSideApply.apply(current, configuration, def.type(), manager, force).merged(), false)
                    .thenApply(o -> new Applied(o, false));
        });
    }

    /**
     * Records {@code options.fieldManager()} as the owner of what this write changed (an Update entry).
     * {@code afterTree} is {@code after} as a tree, which this changes.
     */
    private static <T extends HasMetadata> void recordManager(ResourceDefinition<T> def, ObjectNode before, T after,
                                                              ObjectNode afterTree, WriteOptions options, Scope scope) {
        // Upstream's binding writes the pod straight to storage, past the field manager: bound pods carry no
        // entry of the scheduler's.
        if (options.fieldManager() == null || scope == Scope.BINDING) {
            return;
        }
        ManagedFields.recordUpdate(before, afterTree, def.type(), options.fieldManager(), ManagedFields.UPDATE,
                def.apiVersion(), now(), scope == Scope.STATUS ? "status" : "");
        after.getMetadata().setManagedFields(Json.convert(afterTree.path("metadata").path("managedFields"), MANAGED_FIELDS));
    }

    private <T extends HasMetadata> T prepareUpdate(ResourceDefinition<T> def, String namespace, String name, T old,
                                                    ObjectNode oldTree, ObjectNode proposed, Scope scope) {
        String requestedVersion = proposed.path("metadata").path("resourceVersion").asText("");
        if (!requestedVersion.isEmpty() && !requestedVersion.equals(old.getMetadata().getResourceVersion())) {
            throw ApiException.conflict(def.group(), def.plural(), name,
                    "the object has been modified; please apply your changes to the latest version and try again");
        }
        ObjectNode merged = switch (scope) {
            case MAIN -> {
                if (def.has(Subresource.STATUS)) {
                    copyField(oldTree, proposed, "status");
                }
                yield proposed;
            }
            case STATUS -> {
                ObjectNode result = oldTree.deepCopy();
                copyField(proposed, result, "status");
                yield result;
            }
            case BINDING -> proposed;
            case FINALIZE -> {
                ObjectNode result = oldTree.deepCopy();
                result.with("spec").set("finalizers", proposed.path("spec").path("finalizers"));
                yield result;
            }
        };
        T updated = decodeForWrite(def, namespace, merged, name);
        ObjectMeta meta = updated.getMetadata();
        ObjectMeta oldMeta = old.getMetadata();
        meta.setUid(oldMeta.getUid());
        meta.setCreationTimestamp(oldMeta.getCreationTimestamp());
        meta.setDeletionTimestamp(oldMeta.getDeletionTimestamp());
        meta.setDeletionGracePeriodSeconds(oldMeta.getDeletionGracePeriodSeconds());
        meta.setGeneration(oldMeta.getGeneration());
        meta.setResourceVersion(oldMeta.getResourceVersion());
        if (meta.getGenerateName() == null) {
            meta.setGenerateName(oldMeta.getGenerateName());
        }
        def.strategy().applyDefaults(updated);
        def.strategy().allocate(updated, old, reservationLookup(def));
        if (def.strategy().tracksGeneration() && specChanged(Json.tree(updated), oldTree)) {
            meta.setGeneration(Objects.requireNonNullElse(oldMeta.getGeneration(), 0L) + 1);
        }
        validate(def, updated, old);
        return updated;
    }

    private static void copyField(ObjectNode from, ObjectNode to, String field) {
        JsonNode value = from.get(field);
        if (value == null) {
            to.remove(field);
        } else {
            to.set(field, value.deepCopy());
        }
    }

    /** Generation counts changes to anything but metadata and status. */
    private static boolean specChanged(ObjectNode updated, ObjectNode old) {
        ObjectNode a = updated.deepCopy();
        ObjectNode b = old.deepCopy();
        for (ObjectNode n : List.of(a, b)) {
            n.remove("metadata");
            n.remove("status");
        }
        return !a.equals(b);
    }

    /** Writes {@code value}, the stored form of {@code updated}, over {@code stored} if that is still current. */
    private <T extends HasMetadata> CompletableFuture<OptionalLong> write(ResourceDefinition<T> def, StoredValue stored,
                                                                          T old, T updated, byte[] value) {
        Map<String, String> before = def.strategy().reservations(old);
        Map<String, String> after = def.strategy().reservations(updated);
        List<Precondition> conditions = new ArrayList<>();
        conditions.add(new Precondition(stored.key(), stored.modRevision()));
        Map<String, byte[]> puts = new LinkedHashMap<>();
        puts.put(stored.key(), value);
        after.forEach((k, v) -> {
            if (!before.containsKey(k)) {
                conditions.add(Precondition.absent(k));
                puts.put(k, reservationValue(stored.key(), v));
            }
        });
        List<String> deletes = before.keySet().stream().filter(k -> !after.containsKey(k)).toList();
        return commit(def, conditions, puts, deletes);
    }

    /** One transaction in etcd; an object that expires (see {@link ResourceStrategy#timeToLive}) is put on a lease. */
    private CompletableFuture<OptionalLong> commit(ResourceDefinition<?> def, List<Precondition> conditions,
                                                   Map<String, byte[]> puts, List<String> deletes) {
        Optional<Duration> timeToLive = def.storage().strategy().timeToLive();
        if (timeToLive.isEmpty()) {
            return etcd.commit(conditions, puts, deletes);
        }
        return expiryLeases.leaseFor(timeToLive.get()).thenCompose(lease -> etcd.commit(conditions, puts, deletes, lease));
    }

    // ---- delete ----

    /** The outcome of a DELETE: the object, and whether it is gone or only marked for deletion. */
    public record Deletion(HasMetadata object, boolean removed) {
    }

    public <T extends HasMetadata> CompletableFuture<Deletion> delete(ResourceDefinition<T> def, String namespace,
                                                                      String name, DeleteRequest request) {
        return delete(def, namespace, name, request, true);
    }

    /** As {@link #mutate}: starts from the cached object and re-decides from etcd whatever a stale copy failed. */
    private <T extends HasMetadata> CompletableFuture<Deletion> delete(ResourceDefinition<T> def, String namespace,
                                                                       String name, DeleteRequest request, boolean fromCache) {
        return fromCacheThenEtcd(def, def.key(namespace, name), fromCache,
                read -> deleteRead(def, namespace, name, request, read),
                () -> delete(def, namespace, name, request, false));
    }

    private <T extends HasMetadata> CompletableFuture<Deletion> deleteRead(ResourceDefinition<T> def, String namespace,
                                                                           String name, DeleteRequest request, Current read) {
        if (read.value().isEmpty()) {
            throw notFound(def, name);
        }
        StoredValue stored = read.value().get();
        T current = read.object(def);
        checkPreconditions(def, current, request);
        T marked = Json.copy(current);
        boolean changed = markForDeletion(def, marked, request);
        if (request.dryRun()) {
            return CompletableFuture.completedFuture(new Deletion(marked, !holdsDeletion(def, marked)));
        }
        if (!holdsDeletion(def, marked)) {
            return remove(def, stored, current).thenCompose(removed -> removed
                    ? CompletableFuture.completedFuture(new Deletion(current, true))
                    : delete(def, namespace, name, request, false));
        }
        if (!changed) {
            if (read.cached()) {
                throw new StaleRead();
            }
            return CompletableFuture.completedFuture(new Deletion(current, false));
        }
        return write(def, stored, current, marked, encode(def, marked)).thenCompose(rev -> {
            if (rev.isEmpty()) {
                return delete(def, namespace, name, request, false);
            }
            marked.getMetadata().setResourceVersion(Long.toString(rev.getAsLong()));
            return CompletableFuture.completedFuture(new Deletion(marked, false));
        });
    }

    /**
     * Sets deletionTimestamp and the finalizers the propagation policy asks for. Returns whether anything
     * changed. A graceful deletion already under way can only be shortened.
     */
    private <T extends HasMetadata> boolean markForDeletion(ResourceDefinition<T> def, T object, DeleteRequest request) {
        ObjectMeta meta = object.getMetadata();
        String before = Json.string(object);
        List<String> finalizers = meta.getFinalizers() == null ? new ArrayList<>() : new ArrayList<>(meta.getFinalizers());
        if (meta.getDeletionTimestamp() == null) {
            if ("Orphan".equals(request.propagationPolicy()) && !finalizers.contains(ORPHAN_FINALIZER)) {
                finalizers.add(ORPHAN_FINALIZER);
            } else if ("Foreground".equals(request.propagationPolicy()) && !finalizers.contains(FOREGROUND_FINALIZER)) {
                finalizers.add(FOREGROUND_FINALIZER);
            }
            meta.setFinalizers(finalizers.isEmpty() ? null : finalizers);
        }
        OptionalLong grace = def.strategy().gracePeriod(object, request.gracePeriodSeconds());
        boolean pending = !finalizers.isEmpty() || grace.isPresent() || def.strategy().deletionHeld(object);
        if (pending) {
            Long previous = meta.getDeletionGracePeriodSeconds();
            long seconds = grace.orElse(0);
            if (meta.getDeletionTimestamp() == null || previous == null || seconds < previous) {
                meta.setDeletionTimestamp(Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS).toString());
                meta.setDeletionGracePeriodSeconds(seconds);
            }
            def.strategy().prepareForDeletion(object);
        }
        if (grace.isEmpty() && meta.getDeletionTimestamp() != null && request.gracePeriodSeconds() != null
                && request.gracePeriodSeconds() == 0) {
            meta.setDeletionGracePeriodSeconds(0L);
        }
        return !before.equals(Json.string(object));
    }

    /** Whether the object must stay after being marked: finalizers, a held deletion, or time left to terminate. */
    private <T extends HasMetadata> boolean holdsDeletion(ResourceDefinition<T> def, T object) {
        ObjectMeta meta = object.getMetadata();
        if (meta.getFinalizers() != null && !meta.getFinalizers().isEmpty()) {
            return true;
        }
        if (def.strategy().deletionHeld(object)) {
            return true;
        }
        return meta.getDeletionGracePeriodSeconds() != null && meta.getDeletionGracePeriodSeconds() > 0;
    }

    private static <T extends HasMetadata> void checkPreconditions(ResourceDefinition<T> def, T current, DeleteRequest request) {
        String name = current.getMetadata().getName();
        if (request.preconditionUid() != null && !request.preconditionUid().equals(current.getMetadata().getUid())) {
            throw ApiException.conflict(def.group(), def.plural(), name, "Precondition failed: UID in precondition: "
                    + request.preconditionUid() + ", UID in object meta: " + current.getMetadata().getUid());
        }
        if (request.preconditionResourceVersion() != null
                && !request.preconditionResourceVersion().equals(current.getMetadata().getResourceVersion())) {
            throw ApiException.conflict(def.group(), def.plural(), name, "Precondition failed: ResourceVersion in "
                    + "precondition: " + request.preconditionResourceVersion() + ", ResourceVersion in object meta: "
                    + current.getMetadata().getResourceVersion());
        }
    }

    /** Removes the object and its reservations if it is still at the revision read; false on a race. */
    private <T extends HasMetadata> CompletableFuture<Boolean> remove(ResourceDefinition<T> def, StoredValue stored, T object) {
        List<String> deletes = new ArrayList<>();
        deletes.add(stored.key());
        deletes.addAll(def.strategy().reservations(object).keySet());
        return etcd.commit(List.of(new Precondition(stored.key(), stored.modRevision())), Map.of(), deletes)
                .thenApply(OptionalLong::isPresent);
    }

    // ---- shared steps ----

    /** Checks the body against the endpoint (kind, namespace, name) and decodes it into the model class. */
    private <T extends HasMetadata> T decodeForWrite(ResourceDefinition<T> def, String namespace, ObjectNode body,
                                                     String expectedName) {
        String apiVersion = body.path("apiVersion").asText("");
        String kind = body.path("kind").asText("");
        if (!kind.isEmpty() && !kind.equals(def.kind()) || !apiVersion.isEmpty() && !apiVersion.equals(def.apiVersion())) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion + ") does not match the expected "
                    + "API version (" + def.apiVersion() + ")");
        }
        ObjectNode meta = body.with("metadata");
        String bodyNamespace = meta.path("namespace").asText("");
        if (def.namespaced()) {
            if (!bodyNamespace.isEmpty() && namespace != null && !bodyNamespace.equals(namespace)) {
                throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on "
                        + "the request");
            }
            meta.put("namespace", namespace);
        } else {
            meta.remove("namespace");
        }
        if (expectedName != null) {
            String bodyName = meta.path("name").asText("");
            if (!bodyName.isEmpty() && !bodyName.equals(expectedName)) {
                throw ApiException.badRequest("the name of the object (" + bodyName + ") does not match the name on the URL ("
                        + expectedName + ")");
            }
            meta.put("name", expectedName);
        }
        body.put("apiVersion", def.apiVersion());
        body.put("kind", def.kind());
        try {
            return Json.convert(body, def.type());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("unable to decode the " + def.kind() + ": " + rootMessage(e));
        }
    }

    private <T extends HasMetadata> void validate(ResourceDefinition<T> def, T object, T old) {
        FieldErrors errors = new FieldErrors();
        ObjectMeta meta = object.getMetadata();
        String name = Objects.toString(meta.getName(), "");
        Names.check(def.nameRule(), name).ifPresent(e -> errors.invalid("metadata.name", name, e));
        if (meta.getLabels() != null) {
            meta.getLabels().forEach((k, v) -> {
                Names.qualifiedName(k).ifPresent(e -> errors.invalid("metadata.labels", k, e));
                Names.labelValue(v).ifPresent(e -> errors.invalid("metadata.labels", v, e));
            });
        }
        if (meta.getAnnotations() != null) {
            meta.getAnnotations().keySet().forEach(k ->
                    Names.qualifiedName(k).ifPresent(e -> errors.invalid("metadata.annotations", k, e)));
        }
        def.strategy().validate(object, errors);
        if (old == null) {
            def.strategy().validateCreate(object, errors);
        } else {
            def.strategy().validateUpdate(object, old, errors);
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(def.group(), def.kind(), name, errors.causes());
        }
    }

    /** Namespaced objects need a namespace that exists and is not being deleted. */
    private CompletableFuture<Void> requireNamespace(ResourceDefinition<?> def, String namespace) {
        if (!def.namespaced()) {
            return CompletableFuture.completedFuture(null);
        }
        Optional<CachedObject> cached = cache.get(namespaces, namespaces.key(null, namespace));
        CompletableFuture<Optional<HasMetadata>> lookup = cached.isPresent()
                ? CompletableFuture.completedFuture(Optional.of(cached.get().object()))
                : etcd.get(namespaces.key(null, namespace)).thenApply(v -> v.map(s -> decode(namespaces, s)));
        return lookup.thenAccept(ns -> {
            if (ns.isEmpty()) {
                throw ApiException.notFound("", "namespaces", namespace);
            }
            if (ns.get().getMetadata().getDeletionTimestamp() != null) {
                // The cause tells controllers not to retry, as upstream's NamespaceLifecycle admission does.
                throw new ApiException(403, "Forbidden", def.plural() + " is forbidden: unable to create new content in "
                        + "namespace " + namespace + " because it is being terminated",
                        new ApiException.Target(def.group(), def.plural(), null), List.of(new StatusCause(
                        StatusCause.NAMESPACE_TERMINATING, "namespace " + namespace + " is being terminated", "metadata.namespace")));
            }
        });
    }

    private ResourceStrategy.Allocator reservationLookup(ResourceDefinition<?> def) {
        return new ResourceStrategy.Allocator() {
            private Set<String> taken;

            @Override
            public boolean isTaken(String reservationKey) {
                if (taken == null) {
                    taken = takenReservations(def);
                }
                return taken.contains(reservationKey);
            }
        };
    }

    private <T extends HasMetadata> Set<String> takenReservations(ResourceDefinition<T> def) {
        Set<String> taken = new HashSet<>();
        cache.all(def).forEach(o -> taken.addAll(def.strategy().reservations(def.fromStorage(o.object())).keySet()));
        return taken;
    }

    static HasMetadata decode(ResourceDefinition<?> def, StoredValue value) {
        return CachedObject.decode(value.key(), value.value(), value.modRevision(), def.type()).object();
    }

    /**
     * The stored form (a view's objects converted to its storage's): etcd's revision is the resourceVersion, so
     * it is not stored in the value.
     */
    private static <T extends HasMetadata> byte[] encode(ResourceDefinition<T> def, T object) {
        HasMetadata stored = def.toStorage(object);
        ObjectMeta meta = stored.getMetadata();
        String resourceVersion = meta.getResourceVersion();
        meta.setResourceVersion(null);
        try {
            return Json.bytes(stored);
        } finally {
            meta.setResourceVersion(resourceVersion);
        }
    }

    /**
     * The answer to a write: {@code value}, what was stored at {@code revision}, stamped with it, as the watch cache
     * serves it; encoded afresh only when {@code def} is a view (its clients see another form than the stored one).
     */
    private static <T extends HasMetadata> CachedObject written(ResourceDefinition<T> def, String key, long revision,
                                                               T object, byte[] value) {
        object.getMetadata().setResourceVersion(Long.toString(revision));
        return def.isView() ? CachedObject.of(key, revision, object) : CachedObject.written(key, revision, object, value);
    }

    private static byte[] reservationValue(String ownerKey, String what) {
        return (what + " " + ownerKey).getBytes(StandardCharsets.UTF_8);
    }

    private static ApiException notFound(ResourceDefinition<?> def, String name) {
        return ApiException.notFound(def.group(), def.plural(), name);
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** Unwraps the exception a future failed with. */
    public static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** The opaque continue token: the revision of the first page and the last key served. */
    record ContinueToken(long revision, String lastKey) {
        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    Json.bytes(Map.of("rv", revision, "start", lastKey)));
        }

        static ContinueToken decode(String token) {
            try {
                JsonNode node = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(token));
                return new ContinueToken(node.get("rv").asLong(), node.get("start").asText());
            } catch (Exception e) {
                throw ApiException.badRequest("continue key is not valid: " + e.getMessage());
            }
        }
    }
}
