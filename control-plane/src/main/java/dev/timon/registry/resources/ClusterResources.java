package dev.timon.registry.resources;

import dev.timon.registry.printers.EventColumns;
import dev.timon.registry.printers.EndpointSliceColumns;
import dev.timon.registry.printers.EndpointsColumns;
import dev.timon.registry.printers.LeaseColumns;
import dev.timon.registry.printers.NodeColumns;
import dev.timon.apimachinery.Names;
import dev.timon.registry.ResourceDefinition;
import dev.timon.registry.ResourceStrategy;
import dev.timon.registry.Subresource;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Nodes and the records the system writes about them and about services: leases, events, endpoints. */
public final class ClusterResources {

    private ClusterResources() {
    }

    public static ResourceDefinition<Node> nodes() {
        return ResourceDefinition.of(Node.class, "", "v1", "Node", "nodes")
                .clusterScoped()
                .shortNames("no")
                .columns(NodeColumns.columns())
                .subresources(Subresource.STATUS, Subresource.PROXY)
                .strategy(new ResourceStrategy<>() {
                    @Override
                    public Map<String, String> selectableFields(Node node) {
                        return Map.of("spec.unschedulable", Boolean.toString(node.getSpec() != null
                                && Boolean.TRUE.equals(node.getSpec().getUnschedulable())));
                    }

                    @Override
                    public List<String> selectableFieldNames() {
                        return List.of("spec.unschedulable");
                    }
                })
                .build();
    }

    public static ResourceDefinition<Lease> leases() {
        return ResourceDefinition.of(Lease.class, "coordination.k8s.io", "v1", "Lease", "leases")
                .columns(LeaseColumns.columns())
                .strategy(new ResourceStrategy<>() {
                    @Override
                    public boolean allowCreateOnUpdate() {
                        return true;
                    }
                })
                .build();
    }

    public static ResourceDefinition<Endpoints> endpoints() {
        return ResourceDefinition.of(Endpoints.class, "", "v1", "Endpoints", "endpoints")
                .shortNames("ep")
                .columns(EndpointsColumns.columns())
                .strategy(new ResourceStrategy<>() {
                    @Override
                    public boolean allowCreateOnUpdate() {
                        return true;
                    }
                })
                .build();
    }

    public static ResourceDefinition<EndpointSlice> endpointSlices() {
        return ResourceDefinition.of(EndpointSlice.class, "discovery.k8s.io", "v1", "EndpointSlice", "endpointslices")
                .columns(EndpointSliceColumns.columns())
                .build();
    }

    /** Events, which expire {@code timeToLive} after their last write. */
    public static ResourceDefinition<Event> events(Duration timeToLive) {
        return ResourceDefinition.of(Event.class, "", "v1", "Event", "events")
                .shortNames("ev")
                .columns(EventColumns.columns())
                .nameRule(Names.Rule.DNS1123_SUBDOMAIN)
                .strategy(new ResourceStrategy<>() {
                    @Override
                    public boolean allowCreateOnUpdate() {
                        return true;
                    }

                    @Override
                    public Optional<Duration> timeToLive() {
                        return Optional.of(timeToLive);
                    }

                    @Override
                    public Map<String, String> selectableFields(Event event) {
                        Map<String, String> fields = new HashMap<>();
                        ObjectReference ref = event.getInvolvedObject() == null ? new ObjectReference() : event.getInvolvedObject();
                        fields.put("involvedObject.kind", Objects.toString(ref.getKind(), ""));
                        fields.put("involvedObject.namespace", Objects.toString(ref.getNamespace(), ""));
                        fields.put("involvedObject.name", Objects.toString(ref.getName(), ""));
                        fields.put("involvedObject.uid", Objects.toString(ref.getUid(), ""));
                        fields.put("involvedObject.apiVersion", Objects.toString(ref.getApiVersion(), ""));
                        fields.put("involvedObject.resourceVersion", Objects.toString(ref.getResourceVersion(), ""));
                        fields.put("involvedObject.fieldPath", Objects.toString(ref.getFieldPath(), ""));
                        fields.put("reason", Objects.toString(event.getReason(), ""));
                        fields.put("reportingComponent", Objects.toString(event.getReportingComponent(), ""));
                        fields.put("source", event.getSource() == null ? "" : Objects.toString(event.getSource().getComponent(), ""));
                        fields.put("type", Objects.toString(event.getType(), ""));
                        return fields;
                    }

                    @Override
                    public List<String> selectableFieldNames() {
                        return List.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                                "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                                "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type");
                    }
                })
                .build();
    }

    /**
     * events.k8s.io/v1 events: a view of the stored core/v1 events, as upstream serves them, so an event written
     * through either API is read, watched, changed and deleted through both under one name, uid and
     * resourceVersion. Printed with the core/v1 event columns.
     */
    public static ResourceDefinition<io.fabric8.kubernetes.api.model.events.v1.Event> eventsV1(ResourceDefinition<Event> events) {
        return ResourceDefinition.of(io.fabric8.kubernetes.api.model.events.v1.Event.class, "events.k8s.io", "v1",
                        "Event", "events")
                .shortNames("ev")
                .viewOf(events, new EventsV1Conversion())
                .strategy(new EventsV1Validation())
                .build();
    }
}
