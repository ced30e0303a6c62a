package dev.timon.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apimachinery.ApiException;
import dev.timon.apimachinery.FieldErrors;
import dev.timon.apimachinery.Json;
import dev.timon.apiserver.patch.JsonMergePatch;
import dev.timon.apiserver.patch.JsonPatch;
import dev.timon.apiserver.patch.StrategicMergePatch;
import dev.timon.registry.DeleteRequest;
import dev.timon.registry.ResourceDefinition;
import dev.timon.registry.ResourceStore;
import dev.timon.registry.ScalePolicy;
import dev.timon.registry.Subresource;
import dev.timon.registry.WriteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Subresources whose kind differs from their parent's: autoscaling/v1 Scale, a pod's Binding and Eviction.
 * Streaming subresources (log, exec, attach, portforward, proxy) go to the node through {@link NodeStreams}.
 */
public final class SubresourceHandler {

    /** What a subresource answers: a status code and a JSON body. */
    record Reply(int code, byte[] body) {
    }

    private final ResourceStore store;
    private final ResourceDefinition<Pod> pods;

    public SubresourceHandler(ResourceStore store, ResourceDefinition<Pod> pods) {
        this.store = store;
        this.pods = pods;
    }

    CompletableFuture<Reply> handle(HttpServerRequest request, ResourceDefinition<?> def, Subresource subresource,
                                    RequestInfo info, byte[] body) {
        if (info.name() == null) {
            throw ApiException.methodNotAllowed("a subresource needs an object name");
        }
        return switch (subresource) {
            case SCALE -> scale(request, def, info, body).thenApply(b -> new Reply(200, b));
            case BINDING -> bind(request, info, body).thenApply(b -> new Reply(201, b));
            case EVICTION -> evict(request, info, body).thenApply(b -> new Reply(201, b));
            default -> throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
        };
    }

    // ---- scale ----

    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> CompletableFuture<byte[]> scale(HttpServerRequest request, ResourceDefinition<T> def,
                                                                     RequestInfo info, byte[] body) {
        ScalePolicy<T> policy = def.scale();
        HttpMethod method = request.method();
        if (method.equals(HttpMethod.GET)) {
            return store.get(def, info.namespace(), info.name()).thenApply(o -> Json.bytes(scaleOf(policy, (T) o.object())));
        }
        WriteOptions options = ResourceHandler.writeOptions(request);
        Function<ObjectNode, ObjectNode> newScale;
        if (method.equals(HttpMethod.PUT)) {
            ObjectNode scale = RequestBodies.parseObject(RequestBodies.mediaType(request), body);
            newScale = current -> scale;
        } else if (method.equals(HttpMethod.PATCH)) {
            String mediaType = RequestBodies.mediaType(request);
            JsonNode patch = RequestBodies.parse(mediaType, body);
            newScale = current -> (ObjectNode) switch (mediaType) {
                case "application/json-patch+json" -> JsonPatch.apply(current, patch);
                case "application/merge-patch+json" -> JsonMergePatch.apply(current, patch);
                case "application/strategic-merge-patch+json" -> StrategicMergePatch.apply(current, patch, null);
                default -> throw ApiException.unsupportedMediaType(mediaType);
            };
        } else {
            throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
        return store.mutate(def, info.namespace(), info.name(), ResourceStore.Scope.MAIN, options, true, current -> {
            T object = Json.convert(current, def.type());
            ObjectNode requested = newScale.apply(scaleOf(policy, object));
            String version = requested.path("metadata").path("resourceVersion").asText("");
            if (!version.isEmpty() && !version.equals(object.getMetadata().getResourceVersion())) {
                throw ApiException.conflict(def.group(), def.plural(), info.name(),
                        "the object has been modified; please apply your changes to the latest version and try again");
            }
            JsonNode replicas = requested.path("spec").path("replicas");
            if (!replicas.isIntegralNumber() || replicas.asInt() < 0) {
                throw ApiException.invalid("autoscaling", "Scale", info.name(), new FieldErrors()
                        .invalid("spec.replicas", replicas.isMissingNode() ? null : replicas.asText(),
                                "must be greater than or equal to 0").causes());
            }
            policy.setDesired().accept(object, replicas.asInt());
            return Json.tree(object);
        }, false).thenApply(o -> Json.bytes(scaleOf(policy, (T) o.object())));
    }

    private static <T extends HasMetadata> ObjectNode scaleOf(ScalePolicy<T> policy, T object) {
        ObjectNode scale = JsonNodeFactory.instance.objectNode();
        scale.put("kind", "Scale");
        scale.put("apiVersion", "autoscaling/v1");
        ObjectNode meta = scale.putObject("metadata");
        meta.put("name", object.getMetadata().getName());
        if (object.getMetadata().getNamespace() != null) {
            meta.put("namespace", object.getMetadata().getNamespace());
        }
        meta.put("uid", object.getMetadata().getUid());
        meta.put("resourceVersion", object.getMetadata().getResourceVersion());
        meta.put("creationTimestamp", object.getMetadata().getCreationTimestamp());
        Integer desired = policy.desired().apply(object);
        scale.putObject("spec").put("replicas", desired == null ? 0 : desired);
        ObjectNode status = scale.putObject("status");
        status.put("replicas", policy.current().apply(object));
        status.put("selector", policy.selector().apply(object));
        return scale;
    }

    // ---- binding and eviction ----

    /** Binds an unassigned pod to a node and records PodScheduled, as the scheduler's Binding does. */
    private CompletableFuture<byte[]> bind(HttpServerRequest request, RequestInfo info, byte[] body) {
        ObjectNode binding = RequestBodies.parseObject(RequestBodies.mediaType(request), body);
        String node = binding.path("target").path("name").asText("");
        if (node.isEmpty()) {
            throw ApiException.invalid("", "Binding", info.name(),
                    new FieldErrors().required("target.name").causes());
        }
        return store.mutate(pods, info.namespace(), info.name(), ResourceStore.Scope.BINDING,
                ResourceHandler.writeOptions(request), true, current -> {
                    // Edited as a tree: the store decodes and validates the result once, as it does for any write.
                    if (current.path("metadata").hasNonNull("deletionTimestamp")) {
                        throw ApiException.conflict("", "pods", info.name(), "pod is being deleted, cannot be assigned to a host");
                    }
                    String assigned = current.path("spec").path("nodeName").asText("");
                    if (!assigned.isEmpty()) {
                        throw ApiException.conflict("", "pods/binding", info.name(), "pod " + info.name()
                                + " is already assigned to node \"" + assigned + "\"");
                    }
                    current.with("spec").put("nodeName", node);
                    ArrayNode conditions = current.with("status").withArray("conditions");
                    for (int i = conditions.size() - 1; i >= 0; i--) {
                        if ("PodScheduled".equals(conditions.get(i).path("type").asText())) {
                            conditions.remove(i);
                        }
                    }
                    conditions.addObject().put("type", "PodScheduled").put("status", "True")
                            .put("lastTransitionTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
                    return current;
                }, false).thenApply(p -> success());
    }

    /** Evicts a pod: with no disruption budgets to respect, an eviction is a delete with the given options. */
    private CompletableFuture<byte[]> evict(HttpServerRequest request, RequestInfo info, byte[] body) {
        ObjectNode eviction = RequestBodies.parseObject(RequestBodies.mediaType(request), body);
        JsonNode options = eviction.path("deleteOptions");
        DeleteRequest delete = new DeleteRequest(options.path("propagationPolicy").asText(null),
                options.path("gracePeriodSeconds").isNumber() ? options.get("gracePeriodSeconds").asLong() : null,
                options.path("preconditions").path("uid").asText(null),
                options.path("preconditions").path("resourceVersion").asText(null), ResourceHandler.dryRun(request));
        return store.delete(pods, info.namespace(), info.name(), delete).thenApply(d -> success());
    }

    private static byte[] success() {
        return Json.bytes(new StatusBuilder().withNewMetadata().endMetadata().withStatus("Success").withCode(201).build());
    }
}
