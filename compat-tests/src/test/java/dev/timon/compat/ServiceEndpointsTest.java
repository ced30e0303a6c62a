package dev.timon.compat;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Endpoints and EndpointSlices follow pod readiness; the API server publishes its own slice. */
class ServiceEndpointsTest extends OnHollowNodes {

    ServiceEndpointsTest() {
        super("b-ep-", 2, "b-ep");
    }

    /** Ready and not-ready IPs of the Endpoints object {@code name}. */
    private record Addresses(Set<String> ready, Set<String> notReady) {
    }

    private Addresses endpoints(String name) {
        Endpoints ep = client.endpoints().inNamespace("b-ep").withName(name).get();
        if (ep == null || ep.getSubsets() == null) {
            return new Addresses(Set.of(), Set.of());
        }
        return new Addresses(
                ips(ep.getSubsets().stream().flatMap(s -> s.getAddresses() == null ? Stream.empty() : s.getAddresses().stream())),
                ips(ep.getSubsets().stream().flatMap(s -> s.getNotReadyAddresses() == null ? Stream.empty() : s.getNotReadyAddresses().stream())));
    }

    private static Set<String> ips(Stream<EndpointAddress> addresses) {
        return addresses.map(EndpointAddress::getIp).collect(Collectors.toSet());
    }

    private Addresses slices(String service) {
        List<Endpoint> all = client.discovery().v1().endpointSlices().inNamespace("b-ep")
                .withLabel("kubernetes.io/service-name", service).list().getItems().stream()
                .flatMap(s -> s.getEndpoints() == null ? Stream.empty() : s.getEndpoints().stream()).toList();
        return new Addresses(
                all.stream().filter(e -> Boolean.TRUE.equals(e.getConditions().getReady())).flatMap(e -> e.getAddresses().stream()).collect(Collectors.toSet()),
                all.stream().filter(e -> !Boolean.TRUE.equals(e.getConditions().getReady())).flatMap(e -> e.getAddresses().stream()).collect(Collectors.toSet()));
    }

    @Test
    void endpointsAndSlicesListReadyPodsAndDropOneThatTurnsUnready() {
        kubectl.ok("create", "namespace", "b-ep");
        kubectl.apply("b-ep", """
                apiVersion: v1
                kind: Service
                metadata: {name: echo}
                spec:
                  selector: {app: echo}
                  ports: [{name: http, port: 80, targetPort: 8080}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: echo}
                spec:
                  replicas: 3
                  selector:
                    matchLabels: {app: echo}
                  template:
                    metadata:
                      labels: {app: echo}
                    spec:
                      nodeSelector: {pool: b-ep}
                      containers: [{name: main, image: nginx:1.25, ports: [{containerPort: 8080}]}]
                """);
        kubectl.ok("rollout", "status", "deployment/echo", "-n", "b-ep", "--timeout=50s");
        List<Pod> pods = client.pods().inNamespace("b-ep").withLabel("app", "echo").list().getItems();
        Set<String> podIps = pods.stream().map(p -> p.getStatus().getPodIP()).filter(Objects::nonNull).collect(Collectors.toSet());
        assertEquals(3, podIps.size(), "distinct pod IPs: " + podIps);
        Addresses all = new Addresses(podIps, Set.of());
        Await.until("Endpoints echo lists the 3 pod IPs", Duration.ofSeconds(30), () -> endpoints("echo"), all::equals);
        Await.until("EndpointSlices of echo list the 3 pod IPs as ready", Duration.ofSeconds(30), () -> slices("echo"), all::equals);
        String slicePorts = kubectl.ok("get", "endpointslices", "-n", "b-ep", "-l", "kubernetes.io/service-name=echo",
                "-o", "jsonpath={.items[*].ports[*].name}:{.items[*].ports[*].port}").out();
        assertEquals("http:8080", slicePorts);

        Pod unready = pods.get(0);
        kubectl.ok("patch", "pod", unready.getMetadata().getName(), "-n", "b-ep", "--subresource=status", "--type=strategic",
                "-p", "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}");
        String gone = unready.getStatus().getPodIP();
        Set<String> rest = podIps.stream().filter(ip -> !ip.equals(gone)).collect(Collectors.toSet());
        Addresses expected = new Addresses(rest, Set.of(gone));
        Await.until("Endpoints echo moves " + gone + " to notReadyAddresses", Duration.ofSeconds(30), () -> endpoints("echo"), expected::equals);
        Await.until("the slice marks " + gone + " not ready", Duration.ofSeconds(30), () -> slices("echo"), expected::equals);
        String endpointsTable = kubectl.ok("get", "endpoints", "echo", "-n", "b-ep").out();
        assertTrue(!endpointsTable.contains(gone + ":"), endpointsTable);
    }

    @Test
    void apiServerPublishesTheKubernetesEndpointSlice() throws Exception {
        int apiPort = TestCluster.get().apiPort();
        EndpointSlice slice = client.discovery().v1().endpointSlices().inNamespace("default").withName("kubernetes").get();
        assertEquals("kubernetes", slice.getMetadata().getLabels().get("kubernetes.io/service-name"));
        assertEquals(List.of("127.0.0.1"), slice.getEndpoints().get(0).getAddresses());
        assertEquals("https", slice.getPorts().get(0).getName());
        assertEquals(apiPort, slice.getPorts().get(0).getPort());
        String table = kubectl.ok("get", "endpointslices", "-n", "default", "-l", "kubernetes.io/service-name=kubernetes").out();
        assertTrue(table.lines().anyMatch(l -> l.matches("kubernetes\\s+IPv4\\s+" + apiPort + "\\s+127\\.0\\.0\\.1\\s+.*")), table);
    }
}
