package dev.timon.controllers.endpoints;

import dev.timon.controllers.Controller;
import dev.timon.controllers.ControllerContext;
import dev.timon.controllers.ObjectKeys;
import dev.timon.controllers.PodControl;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps the discovery.k8s.io/v1 EndpointSlices of every service with a selector. Existing slices with the
 * right port list are reused in place (fewer writes, stable names); surplus ones are deleted. Only slices
 * labelled as managed by this controller are touched. Keys are services.
 */
public final class EndpointSliceController extends Controller {

    private final ControllerContext context;
    private final int maxPerSlice;

    public EndpointSliceController(ControllerContext context) {
        this(context, DesiredSlices.MAX_ENDPOINTS_PER_SLICE);
    }

    public EndpointSliceController(ControllerContext context, int maxPerSlice) {
        super("endpointslice", 2);
        this.context = context;
        this.maxPerSlice = maxPerSlice;
        context.informers().forType(Service.class).addEventHandler(enqueueing());
        context.informers().forType(Node.class);
        context.informers().forType(EndpointSlice.class).addEventHandler(on((EndpointSlice slice) -> {
            Map<String, String> labels = slice.getMetadata().getLabels();
            if (labels != null && DesiredSlices.CONTROLLER_NAME.equals(labels.get(DesiredSlices.MANAGED_BY_LABEL))) {
                queue.add(ObjectKeys.key(slice.getMetadata().getNamespace(), labels.get(DesiredSlices.SERVICE_NAME_LABEL)));
            }
        }));
        context.informers().forType(Pod.class).addEventHandler(ServicePods.servicesOfPod(context.informers(), queue::add));
    }

    @Override
    protected void reconcile(String key) {
        String namespace = ObjectKeys.namespace(key);
        Service service = context.informers().get(Service.class, namespace, ObjectKeys.name(key));
        if (service == null || ObjectKeys.isDeleting(service)) {
            return; // the garbage collector removes slices through their owner reference
        }
        List<EndpointSlice> existing = new ArrayList<>(managedSlices(service));
        List<DesiredSlices.SliceContent> desired = ServicePods.hasSelector(service)
                ? DesiredSlices.of(service, PodEndpoint.of(service, ServicePods.selectedBy(service, context.informers()), true),
                nodeZones(), maxPerSlice)
                : List.of();
        if (desired.isEmpty() && ServicePods.hasSelector(service)) {
            // A selected service with no endpoints still gets one empty slice, as upstream.
            desired = List.of(new DesiredSlices.SliceContent(List.of(), List.of()));
        }
        Map<String, String> labels = DesiredSlices.labels(service);
        var client = context.client().resources(EndpointSlice.class).inNamespace(namespace);
        for (DesiredSlices.SliceContent content : desired) {
            EndpointSlice reuse = existing.stream().filter(s -> Objects.equals(s.getPorts(), content.ports())).findFirst()
                    .orElse(existing.isEmpty() ? null : existing.get(0));
            if (reuse == null) {
                client.resource(new EndpointSliceBuilder().withNewMetadata()
                        .withGenerateName(service.getMetadata().getName() + "-").withNamespace(namespace).withLabels(labels)
                        .withOwnerReferences(PodControl.controllerRef(service)).endMetadata()
                        .withAddressType("IPv4").withPorts(content.ports()).withEndpoints(content.endpoints()).build()).create();
                continue;
            }
            existing.remove(reuse);
            if (!Objects.equals(reuse.getPorts(), content.ports()) || !Objects.equals(reuse.getEndpoints(), content.endpoints())
                    || !Objects.equals(reuse.getMetadata().getLabels(), labels)) {
                client.resource(new EndpointSliceBuilder(reuse).editMetadata().withLabels(labels).endMetadata()
                        .withPorts(content.ports()).withEndpoints(content.endpoints()).build()).update();
            }
        }
        for (EndpointSlice surplus : existing) {
            client.withName(surplus.getMetadata().getName()).delete();
        }
    }

    private List<EndpointSlice> managedSlices(Service service) {
        return context.informers().byIndex(EndpointSlice.class, dev.timon.client.Informers.BY_NAMESPACE,
                        service.getMetadata().getNamespace()).stream()
                .filter(s -> s.getMetadata().getLabels() != null
                        && service.getMetadata().getName().equals(s.getMetadata().getLabels().get(DesiredSlices.SERVICE_NAME_LABEL))
                        && DesiredSlices.CONTROLLER_NAME.equals(s.getMetadata().getLabels().get(DesiredSlices.MANAGED_BY_LABEL)))
                .toList();
    }

    private Map<String, String> nodeZones() {
        Map<String, String> zones = new HashMap<>();
        for (Node node : context.informers().forType(Node.class).getStore().list()) {
            String zone = node.getMetadata().getLabels() == null ? null : node.getMetadata().getLabels().get(DesiredSlices.ZONE_LABEL);
            if (zone != null) {
                zones.put(node.getMetadata().getName(), zone);
            }
        }
        return zones;
    }
}
