package dev.timon.controllers.endpoints;

import dev.timon.controllers.Controller;
import dev.timon.controllers.ControllerContext;
import dev.timon.controllers.ObjectKeys;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;

import java.util.Objects;

/**
 * Keeps a core/v1 Endpoints object per service with a selector. Services without one (the `kubernetes`
 * service among them, whose Endpoints the API server writes) are left alone. Keys are services.
 */
public final class EndpointsController extends Controller {

    private final ControllerContext context;

    public EndpointsController(ControllerContext context) {
        super("endpoints", 2);
        this.context = context;
        context.informers().forType(Service.class).addEventHandler(enqueueing());
        context.informers().forType(Endpoints.class).addEventHandler(enqueueing());
        context.informers().forType(Pod.class).addEventHandler(ServicePods.servicesOfPod(context.informers(), queue::add));
    }

    @Override
    protected void reconcile(String key) {
        String namespace = ObjectKeys.namespace(key);
        String name = ObjectKeys.name(key);
        Service service = context.informers().get(Service.class, namespace, name);
        Endpoints existing = context.informers().get(Endpoints.class, namespace, name);
        var client = context.client().endpoints().inNamespace(namespace);
        if (service == null) {
            // Only Endpoints this controller wrote go with their service; those of selector-less services are the user's.
            if (existing != null && existing.getMetadata().getAnnotations() != null
                    && existing.getMetadata().getAnnotations().containsKey(TRIGGER_ANNOTATION)) {
                client.withName(name).delete();
            }
            return;
        }
        if (!ServicePods.hasSelector(service)) {
            return;
        }
        Endpoints desired = DesiredEndpoints.of(service, PodEndpoint.of(service, ServicePods.selectedBy(service, context.informers()), false));
        if (existing == null) {
            desired.getMetadata().setAnnotations(java.util.Map.of(TRIGGER_ANNOTATION, java.time.Instant.now().toString()));
            client.resource(desired).create();
        } else if (!Objects.equals(existing.getSubsets(), desired.getSubsets())
                || !Objects.equals(existing.getMetadata().getLabels(), desired.getMetadata().getLabels())) {
            Endpoints updated = new EndpointsBuilder(existing).editMetadata().withLabels(desired.getMetadata().getLabels())
                    .addToAnnotations(TRIGGER_ANNOTATION, java.time.Instant.now().toString()).endMetadata()
                    .withSubsets(desired.getSubsets()).build();
            client.resource(updated).update();
        }
    }

    /** Upstream stamps when the last pod or service change behind an update happened. */
    static final String TRIGGER_ANNOTATION = "endpoints.kubernetes.io/last-change-trigger-time";
}
