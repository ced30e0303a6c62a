package dev.timon.controllers.serviceaccount;

import dev.timon.controllers.Controller;
import dev.timon.controllers.ControllerContext;
import dev.timon.controllers.ObjectKeys;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Keeps a {@code default} ServiceAccount in every active namespace. Keys are namespace names. */
public final class ServiceAccountController extends Controller {

    static final String DEFAULT = "default";

    private final ControllerContext context;

    public ServiceAccountController(ControllerContext context) {
        super("serviceaccount", 1);
        this.context = context;
        context.informers().forType(Namespace.class).addEventHandler(enqueueing());
        context.informers().forType(ServiceAccount.class).addEventHandler(on((ServiceAccount sa) -> {
            if (DEFAULT.equals(sa.getMetadata().getName())) {
                queue.add(sa.getMetadata().getNamespace());
            }
        }));
    }

    @Override
    protected void reconcile(String namespaceName) {
        Namespace namespace = context.informers().get(Namespace.class, null, namespaceName);
        if (namespace == null || ObjectKeys.isDeleting(namespace)
                || context.informers().get(ServiceAccount.class, namespaceName, DEFAULT) != null) {
            return;
        }
        try {
            context.client().serviceAccounts().inNamespace(namespaceName).resource(new ServiceAccountBuilder()
                    .withNewMetadata().withName(DEFAULT).withNamespace(namespaceName).endMetadata().build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }
}
