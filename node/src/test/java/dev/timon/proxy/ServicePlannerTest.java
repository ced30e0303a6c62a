package dev.timon.proxy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.timon.proxy.Fixtures.endpoint;
import static dev.timon.proxy.Fixtures.nodePort;
import static dev.timon.proxy.Fixtures.port;
import static dev.timon.proxy.Fixtures.service;
import static dev.timon.proxy.Fixtures.slice;
import static dev.timon.proxy.Fixtures.slicePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServicePlannerTest {

    private static final String NODE = "node-a";

    @Test
    void clusterIpWithTwoReadyEndpointsAndOneUnready() {
        Service web = service("ns", "web", "10.96.0.20", port("http", 80, "8080"));
        List<ServicePortPlan> plans = ServicePlanner.plan(web, List.of(slice("ns", "web", List.of(slicePort("http", 8080)),
                endpoint("10.244.0.5", NODE, true), endpoint("10.244.0.6", "node-b", true),
                endpoint("10.244.0.7", NODE, false))), NODE);
        assertEquals(1, plans.size());
        ServicePortPlan plan = plans.get(0);
        assertEquals("ns/web/tcp/80", plan.id());
        assertEquals(List.of(new Backend("10.244.0.5", 8080, NODE), new Backend("10.244.0.6", 8080, "node-b")),
                plan.clusterBackends());
        assertEquals(0, plan.nodePort());
        assertFalse(plan.clientIpAffinity());
    }

    @Test
    void namedTargetPortResolvesPerEndpointFromEachSlice() {
        Service web = service("ns", "web", "10.96.0.20", port("http", 80, "http"));
        List<ServicePortPlan> plans = ServicePlanner.plan(web, List.of(
                slice("ns", "web", List.of(slicePort("http", 8080)), endpoint("10.244.0.5", NODE, true)),
                slice("ns", "web", List.of(slicePort("http", 9090)), endpoint("10.244.0.6", NODE, true))), NODE);
        assertEquals(List.of(8080, 9090), plans.get(0).clusterBackends().stream().map(Backend::port).toList());
    }

    @Test
    void everyPortOfAMultiPortServiceGetsItsOwnPlan() {
        Service web = service("ns", "web", "10.96.0.20", port("http", 80, "http"), port("metrics", 9100, "metrics"));
        List<ServicePortPlan> plans = ServicePlanner.plan(web, List.of(slice("ns", "web",
                List.of(slicePort("http", 8080), slicePort("metrics", 9101)), endpoint("10.244.0.5", NODE, true))), NODE);
        assertEquals(List.of("ns/web/tcp/80", "ns/web/tcp/9100"), plans.stream().map(ServicePortPlan::id).toList());
        assertEquals(9101, plans.get(1).clusterBackends().get(0).port());
    }

    @Test
    void nodePortServesAllEndpointsUnlessExternalTrafficPolicyIsLocal() {
        Service web = service("ns", "web", "10.96.0.20", nodePort("http", 80, 30080));
        var slices = List.of(slice("ns", "web", List.of(slicePort("http", 8080)),
                endpoint("10.244.0.5", NODE, true), endpoint("10.244.1.5", "node-b", true)));
        ServicePortPlan cluster = ServicePlanner.plan(web, slices, NODE).get(0);
        assertEquals(30080, cluster.nodePort());
        assertEquals(2, cluster.externalBackends().size());
        assertFalse(cluster.externalLocal());

        web.getSpec().setExternalTrafficPolicy("Local");
        ServicePortPlan local = ServicePlanner.plan(web, slices, NODE).get(0);
        assertTrue(local.externalLocal());
        assertEquals(List.of("10.244.0.5"), local.externalBackends().stream().map(Backend::ip).toList());
        assertEquals(2, local.clusterBackends().size(), "cluster traffic is not narrowed by the external policy");
        assertTrue(ServicePlanner.plan(web, slices, "node-c").get(0).externalBackends().isEmpty());
    }

    @Test
    void internalTrafficPolicyLocalKeepsOnlyThisNodesEndpoints() {
        Service web = service("ns", "web", "10.96.0.20", port("http", 80, "8080"));
        web.getSpec().setInternalTrafficPolicy("Local");
        var slices = List.of(slice("ns", "web", List.of(slicePort("http", 8080)), endpoint("10.244.1.5", "node-b", true)));
        assertTrue(ServicePlanner.plan(web, slices, NODE).get(0).clusterBackends().isEmpty());
    }

    @Test
    void sessionAffinityClientIpIsCarried() {
        Service web = service("ns", "web", "10.96.0.20", port("http", 80, "8080"));
        web.getSpec().setSessionAffinity("ClientIP");
        assertTrue(ServicePlanner.plan(web, List.of(), NODE).get(0).clientIpAffinity());
    }

    @Test
    void headlessAndExternalNameServicesGetNoRules() {
        assertTrue(ServicePlanner.plan(service("ns", "db", "None", port("pg", 5432, "5432")), List.of(), NODE).isEmpty());
        Service external = new ServiceBuilder(service("ns", "ext", "", port("http", 80, "80")))
                .editSpec().withType("ExternalName").withExternalName("example.org").endSpec().build();
        assertTrue(ServicePlanner.plan(external, List.of(), NODE).isEmpty());
    }

    @Test
    void sameNodePreferenceFallsBackToAllEndpointsWhenNoneIsLocal() {
        Service web = service("ns", "web", "10.96.0.20", port("http", 80, "8080"));
        web.getSpec().setTrafficDistribution("PreferClose");
        var slices = List.of(slice("ns", "web", List.of(slicePort("http", 8080)),
                endpoint("10.244.0.5", NODE, true), endpoint("10.244.1.5", "node-b", true), endpoint("10.244.2.5", "node-c", true)));
        assertEquals(List.of("10.244.0.5"), ips(ServicePlanner.plan(web, slices, NODE).get(0)));
        assertEquals(List.of("10.244.0.5", "10.244.1.5", "10.244.2.5"), ips(ServicePlanner.plan(web, slices, "node-d").get(0)));

        Service annotated = service("ns", "web", "10.96.0.20", port("http", 80, "8080"));
        annotated.getMetadata().setAnnotations(java.util.Map.of(ServicePlanner.TOPOLOGY_MODE_ANNOTATION, "PreferClose"));
        assertEquals(List.of("10.244.1.5"), ips(ServicePlanner.plan(annotated, slices, "node-b").get(0)));
        Service plain = service("ns", "web", "10.96.0.20", port("http", 80, "8080"));
        assertEquals(3, ips(ServicePlanner.plan(plain, slices, NODE).get(0)).size(), "no preference unless asked for");
    }

    @Test
    void terminatingServingEndpointsAreUsedOnlyWhenNoneIsReady() {
        Service web = service("ns", "web", "10.96.0.20", port("http", 80, "8080"));
        var terminating = endpoint("10.244.0.9", NODE, false);
        terminating.getConditions().setServing(true);
        terminating.getConditions().setTerminating(true);
        var port = List.of(slicePort("http", 8080));
        assertEquals(List.of("10.244.0.9"), ips(ServicePlanner.plan(web, List.of(slice("ns", "web", port, terminating)), NODE).get(0)));
        assertEquals(List.of("10.244.0.5"), ips(ServicePlanner.plan(web,
                List.of(slice("ns", "web", port, terminating, endpoint("10.244.0.5", NODE, true))), NODE).get(0)));
    }

    private static List<String> ips(ServicePortPlan plan) {
        return plan.clusterBackends().stream().map(Backend::ip).toList();
    }
}
