package dev.timon.controllers.endpoints;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EndpointComputationTest {

    private static Service service(String clusterIp, IntOrString target) {
        return new ServiceBuilder().withNewMetadata().withName("web").withNamespace("ns").withLabels(Map.of("app", "web"))
                .endMetadata().withNewSpec().withClusterIP(clusterIp).withSelector(Map.of("app", "web"))
                .addNewPort().withName("http").withPort(80).withProtocol("TCP").withTargetPort(target).endPort()
                .endSpec().build();
    }

    private static Pod pod(String name, String ip, boolean ready, int httpPort, String node) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid(name + "-uid").endMetadata()
                .withNewSpec().withNodeName(node).withHostname(name).withSubdomain("web")
                .addNewContainer().withName("c").addNewPort().withName("http").withContainerPort(httpPort).endPort().endContainer()
                .endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip)
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus()
                .build();
    }

    @Test
    void readyAndNotReadyAddressesWithNamedPortsResolvedPerPod() {
        Service svc = service("10.96.0.20", new IntOrString("http"));
        List<Pod> pods = List.of(pod("a", "10.0.0.2", true, 8080, "n1"), pod("b", "10.0.0.3", false, 8080, "n2"),
                pod("c", "10.0.0.4", true, 9090, "n1"));
        Endpoints ep = DesiredEndpoints.of(svc, PodEndpoint.of(svc, pods, false));
        assertEquals("web", ep.getMetadata().getName());
        assertEquals(2, ep.getSubsets().size());
        EndpointSubset on8080 = ep.getSubsets().stream().filter(s -> s.getPorts().get(0).getPort() == 8080).findFirst().orElseThrow();
        assertEquals(List.of("10.0.0.2"), ips(on8080.getAddresses()));
        assertEquals(List.of("10.0.0.3"), ips(on8080.getNotReadyAddresses()));
        assertEquals("n1", on8080.getAddresses().get(0).getNodeName());
        assertEquals("a", on8080.getAddresses().get(0).getTargetRef().getName());
        // Hostnames are published when the pod's subdomain names the service.
        assertEquals("a", on8080.getAddresses().get(0).getHostname());
        EndpointSubset on9090 = ep.getSubsets().stream().filter(s -> s.getPorts().get(0).getPort() == 9090).findFirst().orElseThrow();
        assertEquals(List.of("10.0.0.4"), ips(on9090.getAddresses()));
        assertNull(on9090.getNotReadyAddresses());
    }

    @Test
    void podsWithoutIpFinishedOrTerminatingAreLeftOutOfEndpoints() {
        Service svc = service("10.96.0.20", new IntOrString(8080));
        Pod noIp = pod("a", null, true, 8080, "n1");
        Pod done = pod("b", "10.0.0.3", false, 8080, "n1");
        done.getStatus().setPhase("Succeeded");
        Pod terminating = pod("c", "10.0.0.4", true, 8080, "n1");
        terminating.getMetadata().setDeletionTimestamp("2025-01-01T00:00:00Z");
        Pod missingNamedPort = pod("d", "10.0.0.5", true, 8080, "n1");
        assertTrue(DesiredEndpoints.of(svc, PodEndpoint.of(svc, List.of(noIp, done, terminating), false)).getSubsets().isEmpty());
        // The terminating pod stays in slices, marked so.
        List<PodEndpoint> forSlices = PodEndpoint.of(svc, List.of(noIp, done, terminating), true);
        assertEquals(1, forSlices.size());
        assertTrue(forSlices.get(0).terminating());
        assertEquals(false, forSlices.get(0).ready());
        assertEquals(true, forSlices.get(0).serving());
        Service named = service("10.96.0.20", new IntOrString("metrics"));
        assertTrue(DesiredEndpoints.of(named, PodEndpoint.of(named, List.of(missingNamedPort), false)).getSubsets().isEmpty());
    }

    @Test
    void publishNotReadyAddressesMakesEveryPodReady() {
        Service svc = service("None", new IntOrString(8080));
        svc.getSpec().setPublishNotReadyAddresses(true);
        Endpoints ep = DesiredEndpoints.of(svc, PodEndpoint.of(svc, List.of(pod("a", "10.0.0.2", false, 8080, "n1")), false));
        assertEquals(List.of("10.0.0.2"), ips(ep.getSubsets().get(0).getAddresses()));
        assertEquals("", ep.getMetadata().getLabels().get("service.kubernetes.io/headless"));
    }

    @Test
    void slicesAreLabelledGroupedByPortsAndCapped() {
        Service svc = service("10.96.0.20", new IntOrString("http"));
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pods.add(pod("p" + i, "10.0.1." + i, i % 2 == 0, i < 3 ? 8080 : 9090, "n" + i));
        }
        var slices = DesiredSlices.of(svc, PodEndpoint.of(svc, pods, true), Map.of("n0", "zone-a"), 2);
        // 3 pods on 8080 -> slices of 2 and 1; 2 pods on 9090 -> one slice.
        assertEquals(List.of(2, 1, 2), slices.stream().map(s -> s.endpoints().size()).toList());
        assertEquals(8080, slices.get(0).ports().get(0).getPort());
        assertEquals("http", slices.get(0).ports().get(0).getName());
        var first = slices.get(0).endpoints().get(0);
        assertEquals(List.of("10.0.1.0"), first.getAddresses());
        assertEquals("zone-a", first.getZone());
        assertEquals(true, first.getConditions().getReady());
        assertEquals(false, slices.get(0).endpoints().get(1).getConditions().getReady());
        Map<String, String> labels = DesiredSlices.labels(svc);
        assertEquals("web", labels.get("kubernetes.io/service-name"));
        assertEquals("endpointslice-controller.k8s.io", labels.get("endpointslice.kubernetes.io/managed-by"));
        assertEquals("web", labels.get("app"));
    }

    private static List<String> ips(List<EndpointAddress> addresses) {
        return addresses.stream().map(EndpointAddress::getIp).toList();
    }
}
