package dev.timon.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apimachinery.ApiException;
import dev.timon.apimachinery.FieldErrors;
import dev.timon.apimachinery.FieldSelector;
import dev.timon.apimachinery.Json;
import dev.timon.apimachinery.LabelSelector;
import dev.timon.apiserver.patch.JsonMergePatch;
import dev.timon.apiserver.patch.JsonPatch;
import dev.timon.apiserver.patch.StrategicMergePatch;
import dev.timon.registry.DeleteRequest;
import dev.timon.registry.ListRequest;
import dev.timon.registry.ListResult;
import dev.timon.registry.Registry;
import dev.timon.registry.ResourceDefinition;
import dev.timon.registry.ResourceStore;
import dev.timon.registry.ResourceStore.Scope;
import dev.timon.registry.Subresource;
import dev.timon.registry.WriteOptions;
import dev.timon.storage.CachedObject;
import dev.timon.storage.WatchCache;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The REST verbs of every resource: get, list, watch, create, update, patch, delete, deletecollection, and
 * the status and finalize subresources. Verbs run asynchronously on etcd futures and answer on the
 * request's own event loop. Subresources with their own kinds live in {@link SubresourceHandler}.
 */
public final class ResourceHandler {

    /** Deletions of one deletecollection request in flight at a time. */
    private static final int DELETE_COLLECTION_BATCH = 64;

    private final Vertx vertx;
    private final Registry registry;
    private final ResourceStore store;
    private final WatchCache cache;
    private final SubresourceHandler subresources;
    private final NodeStreams nodeStreams;

    public ResourceHandler(Vertx vertx, Registry registry, ResourceStore store, WatchCache cache,
                           SubresourceHandler subresources, NodeStreams nodeStreams) {
        this.vertx = vertx;
        this.registry = registry;
        this.store = store;
        this.cache = cache;
        this.subresources = subresources;
        this.nodeStreams = nodeStreams;
    }

    public void handle(HttpServerRequest request, RequestInfo info, byte[] body) {
        HttpServerResponse response = request.response();
        ResourceDefinition<?> def = registry.find(info.group(), info.version(), info.resource())
                .orElseThrow(() -> new ApiException(404, "NotFound", "the server could not find the requested resource",
                        ApiException.Target.NONE, List.of()));
        if (def.namespaced() != (info.namespace() != null) && !(def.namespaced() && info.name() == null)) {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource",
                    ApiException.Target.NONE, List.of());
        }
        Context context = vertx.getOrCreateContext();
        Subresource subresource = info.subresource() == null ? null : def.subresources().stream()
                .filter(s -> s.path().equals(info.subresource())).findFirst()
                .orElseThrow(() -> new ApiException(404, "NotFound", "the server could not find the requested resource",
                        ApiException.Target.NONE, List.of()));
        if (subresource != null && info.name() == null) {
            throw ApiException.methodNotAllowed("a subresource needs an object name");
        }
        if (subresource != null && subresource.streams()) {
            nodeStreams.handle(request, def, info, subresource);
            return;
        }
        if (subresource != null && subresource != Subresource.STATUS && subresource != Subresource.FINALIZE) {
            subresources.handle(request, def, subresource, info, body).whenComplete((reply, error) -> context.runOnContext(v -> {
                if (error != null) {
                    Responses.error(response, error);
                } else {
                    Responses.json(response, reply.code(), reply.body());
                }
            }));
            return;
        }
        Scope scope = subresource == null ? Scope.MAIN : subresource == Subresource.STATUS ? Scope.STATUS : Scope.FINALIZE;
        HttpMethod method = request.method();
        WriteOptions writeOptions = writeOptions(request);
        if (method.equals(HttpMethod.GET)) {
            if (info.name() == null) {
                if (info.isWatch(request)) {
                    watch(request, def, info);
                } else {
                    list(context, request, def, info);
                }
            } else {
                answer(context, response, store.get(def, info.namespace(), info.name())
                        .thenApply(o -> render(request, def, o)));
            }
        } else if (method.equals(HttpMethod.POST) && info.name() == null) {
            ObjectNode object = decode(request, def, body);
            answer(context, response, 201, store.create(def, info.namespace(), object, writeOptions));
        } else if (method.equals(HttpMethod.PUT) && info.name() != null) {
            ObjectNode object = decode(request, def, body);
            answer(context, response, store.update(def, info.namespace(), info.name(), object, scope, writeOptions));
        } else if (method.equals(HttpMethod.PATCH) && info.name() != null) {
            patch(context, request, def, info, body, scope, writeOptions);
        } else if (method.equals(HttpMethod.DELETE)) {
            if (info.name() == null) {
                answer(context, response, deleteCollection(request, def, info));
            } else {
                delete(context, request, def, info, body);
            }
        } else {
            throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
    }

    // ---- reads ----

    /**
     * The answer is put together on a worker thread: a list served from the cache completes on whichever thread asked
     * (the event loop itself when the cache needed no wait), and an informer's re-list of 10,000 pods held an event
     * loop for seconds on a loaded machine, with the Lease renewals queued behind it timing out.
     */
    private void list(Context context, HttpServerRequest request, ResourceDefinition<?> def, RequestInfo info) {
        ListRequest listRequest = listRequest(request, info.namespace());
        boolean table = wantsTable(request);
        Tables.IncludeObject include = table ? Tables.IncludeObject.parse(request.getParam("includeObject")) : null;
        answer(context, request.response(), store.list(def, listRequest).thenCompose(page -> vertx.executeBlocking(() ->
                table ? Json.bytes(Tables.table(def, objects(page), include, Long.toString(page.revision()),
                        page.continueToken()))
                        : listBytes(def, page), false).toCompletionStage()));
    }

    /** Writes the list by splicing cached object bytes, so a large list costs no re-encoding. */
    private static byte[] listBytes(ResourceDefinition<?> def, ListResult page) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + page.items().size() * 1024);
        String head = "{\"kind\":\"" + def.kind() + "List\",\"apiVersion\":\"" + def.apiVersion()
                + "\",\"metadata\":{\"resourceVersion\":\"" + page.revision() + "\""
                + (page.continueToken().isEmpty() ? "" : ",\"continue\":\"" + page.continueToken() + "\"")
                + "},\"items\":[";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < page.items().size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(page.items().get(i).json());
        }
        out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static List<HasMetadata> objects(ListResult page) {
        List<HasMetadata> objects = new ArrayList<>(page.items().size());
        page.items().forEach(o -> objects.add(o.object()));
        return objects;
    }

    /**
     * A watch as a chunked HTTP response, or over a WebSocket when the client asks to upgrade (fabric8 does):
     * everything that can fail is checked before the upgrade, so errors are still plain Status responses.
     */
    private void watch(HttpServerRequest request, ResourceDefinition<?> def, RequestInfo info) {
        ListRequest listRequest = listRequest(request, info.namespace());
        listRequest.fields().checkSupported(ResourceStore.supportedFields(def));
        String rv = request.getParam("resourceVersion", "");
        long timeout = request.getParam("timeoutSeconds") != null ? Long.parseLong(request.getParam("timeoutSeconds"))
                : 1800 + ThreadLocalRandom.current().nextLong(1800);
        Tables.IncludeObject tableRows = wantsTable(request) ? Tables.IncludeObject.parse(request.getParam("includeObject")) : null;
        boolean bookmarks = "true".equals(request.getParam("allowWatchBookmarks"));
        boolean fromCurrentState = rv.isEmpty() || rv.equals("0");
        long from = fromCurrentState ? -1 : ResourceStore.parseResourceVersion(rv);
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Long> fresh = from > cache.revision() ? store.freshness(rv) : CompletableFuture.completedFuture(from);
        // The upgrade must happen now, while Vert.x still holds the request; the stream starts once fresh.
        boolean webSocket = isWebSocketUpgrade(request);
        Future<WatchOutput> output = webSocket ? request.toWebSocket().map(WatchOutput::of)
                : Future.succeededFuture(WatchOutput.of(request.response()));
        output.onFailure(error -> Responses.error(request.response(),
                ApiException.badRequest("WebSocket upgrade failed: " + error.getMessage())));
        output.onSuccess(out -> fresh.whenComplete((r, e) -> context.runOnContext(v -> {
            WatchStream stream = new WatchStream(vertx, cache, def, out, store.matcher(def, listRequest), tableRows, bookmarks);
            if (e == null) {
                stream.start(from, timeout);
            } else if (webSocket) {
                stream.fail(ResourceStore.unwrap(e));
            } else {
                Responses.error(request.response(), e);
            }
        })));
    }

    static boolean isWebSocketUpgrade(HttpServerRequest request) {
        String upgrade = request.getHeader("Upgrade");
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    static ListRequest listRequest(HttpServerRequest request, String namespace) {
        String limit = request.getParam("limit");
        int pageSize;
        try {
            pageSize = limit == null || limit.isEmpty() ? 0 : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid limit: " + limit);
        }
        return new ListRequest(namespace, LabelSelector.parse(request.getParam("labelSelector")),
                FieldSelector.parse(request.getParam("fieldSelector")), Math.max(pageSize, 0),
                request.getParam("continue"), request.getParam("resourceVersion"));
    }

    /** An object as the client asked for it: a one-row Table or the object's cached JSON. */
    private static byte[] render(HttpServerRequest request, ResourceDefinition<?> def, CachedObject object) {
        if (wantsTable(request)) {
            return Json.bytes(Tables.table(def, List.of(object.object()),
                    Tables.IncludeObject.parse(request.getParam("includeObject")), Long.toString(object.revision()), null));
        }
        return object.json();
    }

    static boolean wantsTable(HttpServerRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("as=Table");
    }

    // ---- writes ----

    private ObjectNode decode(HttpServerRequest request, ResourceDefinition<?> def, byte[] body) {
        String mediaType = RequestBodies.mediaType(request);
        ObjectNode object = RequestBodies.parseObject(mediaType, body);
        RequestBodies.checkDuplicates(request, request.response(), mediaType, body, def.kind(), def.version());
        RequestBodies.checkFields(request, request.response(), object, def.type(), def.kind(), def.version());
        return object;
    }

    private void patch(Context context, HttpServerRequest request, ResourceDefinition<?> def, RequestInfo info,
                       byte[] body, Scope scope, WriteOptions options) {
        String mediaType = RequestBodies.mediaType(request);
        if (mediaType.equals("application/apply-patch+yaml")) {
            apply(context, request, def, info, body, scope, options);
            return;
        }
        JsonNode patch = RequestBodies.parse(mediaType, body);
        Function<ObjectNode, ObjectNode> change = switch (mediaType) {
            case "application/json-patch+json" -> current -> asObject(JsonPatch.apply(current, patch));
            case "application/merge-patch+json" -> current -> asObject(JsonMergePatch.apply(current, patch));
            case "application/strategic-merge-patch+json" -> current -> asObject(StrategicMergePatch.apply(current, patch, def.type()));
            default -> throw ApiException.unsupportedMediaType(mediaType);
        };
        Function<ObjectNode, ObjectNode> checked = current -> {
            ObjectNode result = change.apply(current);
            RequestBodies.checkFields(request, request.response(), result, def.type(), def.kind(), def.version());
            return result;
        };
        answer(context, request.response(), store.patch(def, info.namespace(), info.name(), checked, scope, options));
    }

    /** Server-side apply: a 201 when the apply created the object, 200 otherwise. */
    private void apply(Context context, HttpServerRequest request, ResourceDefinition<?> def, RequestInfo info, byte[] body,
                       Scope scope, WriteOptions options) {
        String manager = request.getParam("fieldManager");
        if (manager == null || manager.isEmpty()) {
            throw ApiException.invalid("meta.k8s.io", "PatchOptions.meta.k8s.io", "",
                    new FieldErrors().required("fieldManager").causes());
        }
        if (scope != Scope.MAIN) {
            throw ApiException.unsupportedMediaType("application/apply-patch+yaml on a subresource");
        }
        ObjectNode configuration = RequestBodies.parseObject("application/apply-patch+yaml", body);
        RequestBodies.checkFields(request, request.response(), configuration, def.type(), def.kind(), def.version());
        boolean force = "true".equals(request.getParam("force"));
        store.apply(def, info.namespace(), info.name(), configuration, manager, force, options.dryRun())
                .whenComplete((applied, error) -> context.runOnContext(v -> {
                    if (error != null) {
                        Responses.error(request.response(), error);
                    } else {
                        Responses.json(request.response(), applied.created() ? 201 : 200, applied.object());
                    }
                }));
    }

    /** dryRun and the field manager: the fieldManager parameter, else the client's name from its User-Agent. */
    static WriteOptions writeOptions(HttpServerRequest request) {
        String manager = request.getParam("fieldManager");
        if (manager == null || manager.isEmpty()) {
            String agent = request.getHeader("User-Agent");
            manager = agent == null || agent.isEmpty() ? "unknown" : agent.split("/")[0];
        }
        return new WriteOptions(dryRun(request), manager);
    }

    private static ObjectNode asObject(JsonNode node) {
        if (!node.isObject()) {
            throw ApiException.badRequest("the patch result must be an object");
        }
        return (ObjectNode) node;
    }

    private void delete(Context context, HttpServerRequest request, ResourceDefinition<?> def, RequestInfo info, byte[] body) {
        DeleteRequest options = deleteRequest(request, body);
        answer(context, request.response(), store.delete(def, info.namespace(), info.name(), options).thenApply(d -> {
            if (!d.removed() || def.kind().equals("Pod")) {
                return Json.bytes(d.object());
            }
            return Json.bytes(new StatusBuilder().withNewMetadata().endMetadata().withStatus("Success")
                    .withNewDetails().withName(d.object().getMetadata().getName())
                    .withGroup(def.group().isEmpty() ? null : def.group()).withKind(def.plural())
                    .withUid(d.object().getMetadata().getUid()).endDetails().build());
        }));
    }

    private CompletableFuture<byte[]> deleteCollection(HttpServerRequest request, ResourceDefinition<?> def, RequestInfo info) {
        DeleteRequest options = deleteRequest(request, new byte[0]);
        return store.list(def, listRequest(request, info.namespace()))
                .thenCompose(page -> deleteInBatches(def, page.items(), 0, options, new ArrayList<>()))
                .thenApply(deleted -> {
                    ObjectNode list = JsonNodeFactory.instance.objectNode();
                    list.put("kind", def.kind() + "List");
                    list.put("apiVersion", def.apiVersion());
                    list.putObject("metadata").put("resourceVersion", Long.toString(cache.revision()));
                    ArrayNode items = list.putArray("items");
                    deleted.forEach(object -> items.add(Json.tree(object)));
                    return Json.bytes(list);
                });
    }

    /**
     * Deletes {@code items} from {@code from} on, {@value #DELETE_COLLECTION_BATCH} at a time, each batch started once
     * the one before is done, and collects what each deletion left (objects already gone are skipped). Started all
     * at once, the deletions of 10,000 pods held the request's event loop for 9 s: each starts on the calling thread.
     */
    private CompletableFuture<List<HasMetadata>> deleteInBatches(ResourceDefinition<?> def, List<CachedObject> items,
                                                                 int from, DeleteRequest options, List<HasMetadata> deleted) {
        if (from >= items.size()) {
            return CompletableFuture.completedFuture(deleted);
        }
        List<CompletableFuture<ResourceStore.Deletion>> batch = new ArrayList<>();
        for (CachedObject o : items.subList(from, Math.min(items.size(), from + DELETE_COLLECTION_BATCH))) {
            ObjectMeta meta = o.object().getMetadata();
            batch.add(store.delete(def, meta.getNamespace(), meta.getName(), options).exceptionally(e -> null));
        }
        return CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).thenCompose(v -> {
            batch.stream().map(CompletableFuture::join).filter(Objects::nonNull)
                    .forEach(deletion -> deleted.add(deletion.object()));
            return deleteInBatches(def, items, from + DELETE_COLLECTION_BATCH, options, deleted);
        });
    }

    /** DeleteOptions come from the body (JSON or protobuf) and from query parameters. */
    static DeleteRequest deleteRequest(HttpServerRequest request, byte[] body) {
        JsonNode options = body.length == 0 ? JsonNodeFactory.instance.objectNode()
                : RequestBodies.parse(RequestBodies.mediaType(request), body);
        // Vert.x's getParam(name, default) rejects a null default, which a body without propagationPolicy gives.
        String policy = request.getParam("propagationPolicy");
        if (policy == null) {
            policy = options.path("propagationPolicy").asText(null);
        }
        if (policy == null && options.path("orphanDependents").isBoolean()) {
            policy = options.path("orphanDependents").asBoolean() ? "Orphan" : "Background";
        }
        if (policy != null && !List.of("Orphan", "Background", "Foreground").contains(policy)) {
            throw ApiException.badRequest("propagationPolicy: Unsupported value: \"" + policy + "\": supported values: "
                    + "\"Foreground\", \"Background\", \"Orphan\"");
        }
        String grace = request.getParam("gracePeriodSeconds");
        Long gracePeriod = grace != null ? Long.valueOf(grace)
                : options.path("gracePeriodSeconds").isNumber() ? options.get("gracePeriodSeconds").asLong() : null;
        JsonNode preconditions = options.path("preconditions");
        boolean dryRun = dryRun(request) || options.path("dryRun").toString().contains("All");
        return new DeleteRequest(policy, gracePeriod, preconditions.path("uid").asText(null),
                preconditions.path("resourceVersion").asText(null), dryRun);
    }

    static boolean dryRun(HttpServerRequest request) {
        List<String> values = request.params().getAll("dryRun");
        for (String v : values) {
            if (!v.equals("All")) {
                throw ApiException.badRequest("dryRun: Unsupported value: \"" + v + "\": supported values: \"All\"");
            }
        }
        return !values.isEmpty();
    }

    // ---- answering ----

    private void answer(Context context, HttpServerResponse response, CompletableFuture<?> result) {
        answer(context, response, 200, result);
    }

    private void answer(Context context, HttpServerResponse response, int code, CompletableFuture<?> result) {
        result.whenComplete((value, error) -> context.runOnContext(v -> {
            if (error != null) {
                Responses.error(response, error);
            } else {
                Responses.json(response, code, value);
            }
        }));
    }
}
