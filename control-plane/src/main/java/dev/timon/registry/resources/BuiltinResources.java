package dev.timon.registry.resources;

import dev.timon.registry.Registry;
import dev.timon.registry.ResourceDefinition;
import io.fabric8.kubernetes.api.model.Event;

import java.time.Duration;
import java.util.List;

/** Every built-in resource the server serves, in discovery order (which `kubectl get all` follows). */
public final class BuiltinResources {

    private BuiltinResources() {
    }

    /** How long an event lives after its last write unless configured otherwise: upstream's --event-ttl default. */
    public static final Duration DEFAULT_EVENT_TTL = Duration.ofHours(1);

    public static Registry registry() {
        return registry(DEFAULT_EVENT_TTL);
    }

    public static Registry registry(Duration eventTtl) {
        ResourceDefinition<Event> events = ClusterResources.events(eventTtl);
        List<ResourceDefinition<?>> definitions = List.of(
                Pods.definition(),
                Services.definition(),
                Namespaces.definition(),
                ClusterResources.nodes(),
                ClusterResources.endpoints(),
                events,
                ConfigResources.configMaps(),
                ConfigResources.secrets(),
                ConfigResources.serviceAccounts(),
                StorageAndNetworking.persistentVolumeClaims(),
                StorageAndNetworking.persistentVolumes(),
                StorageAndNetworking.replicationControllers(),
                Workloads.deployments(),
                Workloads.replicaSets(),
                Workloads.statefulSets(),
                Workloads.daemonSets(),
                ControllerRevisions.definition(),
                BatchResources.jobs(),
                BatchResources.cronJobs(),
                ClusterResources.leases(),
                ClusterResources.endpointSlices(),
                ClusterResources.eventsV1(events),
                StorageAndNetworking.ingresses());
        return new Registry(definitions);
    }
}
