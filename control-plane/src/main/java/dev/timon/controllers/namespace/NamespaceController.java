package dev.timon.controllers.namespace;

import dev.timon.controllers.Controller;
import dev.timon.controllers.ControllerContext;
import dev.timon.controllers.NamespacedKinds;
import dev.timon.controllers.ObjectKeys;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;

import java.time.Duration;
import java.util.List;

/**
 * Empties a deleted (Terminating) namespace, then clears its "kubernetes" finalizer through the finalize
 * subresource so the API server removes it. Pods held by graceful deletion are waited for by re-checking.
 */
public final class NamespaceController extends Controller {

    private final ControllerContext context;

    public NamespaceController(ControllerContext context) {
        super("namespace", 2);
        this.context = context;
        context.informers().forType(Namespace.class).addEventHandler(enqueueing());
    }

    @Override
    protected void reconcile(String name) {
        Namespace namespace = context.informers().get(Namespace.class, null, name);
        if (namespace == null || !ObjectKeys.isDeleting(namespace)) {
            return;
        }
        boolean empty = true;
        for (Class<? extends HasMetadata> type : NamespacedKinds.ALL) {
            var resources = context.client().resources(type).inNamespace(name);
            List<? extends HasMetadata> items = resources.list().getItems();
            empty &= items.isEmpty();
            if (items.stream().anyMatch(item -> !ObjectKeys.isDeleting(item))) {
                // One deletecollection per kind, as upstream's namespace deleter: one by one, the 11,000 pods and as
                // many events a scheduler benchmark leaves took minutes, and loaded the cluster all that time.
                resources.delete();
            }
        }
        if (!empty) {
            queue.addAfter(name, Duration.ofSeconds(2));
            return;
        }
        List<String> finalizers = namespace.getSpec() == null ? null : namespace.getSpec().getFinalizers();
        if (finalizers != null && !finalizers.isEmpty()) {
            Namespace copy = context.client().getKubernetesSerialization().clone(namespace);
            copy.getSpec().setFinalizers(List.of());
            context.client().raw(context.client().getMasterUrl().toString().replaceAll("/$", "")
                    + "/api/v1/namespaces/" + name + "/finalize", "PUT", copy);
        }
    }
}
