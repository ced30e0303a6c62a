package dev.timon.compat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * core/v1 and events.k8s.io/v1 Events are one resource, as upstream stores them: what a controller or kubectl
 * writes through one API, `kubectl events`, `kubectl get events` and `kubectl get events.events.k8s.io` all show,
 * under one name and uid, and a delete through either removes it from both. (kubectl 1.32's `events` and
 * `get events` both read core/v1: seen with -v=6 as GET /api/v1/namespaces/NS/events.)
 */
class EventsApiTest {

    private static final String NS = "events-api";
    private static final String V1 = "events.v1.events.k8s.io";

    private static Kubectl kubectl;

    @BeforeAll
    static void cluster() throws Exception {
        kubectl = TestCluster.get().kubectl();
        kubectl.ok("create", "namespace", NS);
    }

    private static String get(String resource, String name, String jsonpath) {
        return kubectl.ok("get", resource, name, "-n", NS, "-o", "jsonpath=" + jsonpath).out();
    }

    private static void create(String yaml) {
        Kubectl.Result result = kubectl.run(Map.of(), yaml, Kubectl.DEFAULT_TIMEOUT, "create", "-n", NS, "-f", "-");
        assertTrue(result.ok(), result::toString);
    }

    @Test
    void controllerEventsWrittenThroughCoreShowInKubectlEventsAndBothApis() {
        kubectl.ok("create", "deployment", "web", "--image=nginx:1.25", "--replicas=1", "-n", NS);
        String listed = Await.until("kubectl events to list the deployment controller's event", Duration.ofSeconds(60),
                () -> kubectl.ok("events", "-n", NS).out(), out -> out.contains("ScalingReplicaSet"));
        assertTrue(listed.lines().findFirst().orElse("").matches("LAST SEEN\\s+TYPE\\s+REASON\\s+OBJECT\\s+MESSAGE"), listed);
        assertTrue(listed.lines().anyMatch(l -> l.matches(".*Normal\\s+ScalingReplicaSet\\s+Deployment/web\\s+"
                + "Scaled up replica set web-\\w+ from 0 to 1")), listed);

        String name = kubectl.ok("get", "events", "-n", NS, "--field-selector",
                "involvedObject.kind=Deployment,involvedObject.name=web,reason=ScalingReplicaSet",
                "-o", "jsonpath={.items[0].metadata.name}").out();
        String core = get("events", name, "{.apiVersion} {.metadata.uid} {.involvedObject.name} {.message}");
        String v1 = get(V1, name, "{.apiVersion} {.metadata.uid} {.regarding.name} {.note}");
        assertTrue(core.startsWith("v1 "), core);
        assertTrue(v1.startsWith("events.k8s.io/v1 "), v1);
        assertEquals(core.substring("v1 ".length()), v1.substring("events.k8s.io/v1 ".length()));
        assertEquals(get("events", name, "{.metadata.resourceVersion}"), get(V1, name, "{.metadata.resourceVersion}"));
        assertEquals(name, kubectl.ok("get", V1, "-n", NS, "--field-selector",
                "regarding.kind=Deployment,regarding.name=web,reportingController=controller-manager",
                "-o", "jsonpath={.items[0].metadata.name}").out());

        String table = kubectl.ok("get", V1, name, "-n", NS).out();
        assertTrue(table.lines().findFirst().orElse("").matches("LAST SEEN\\s+TYPE\\s+REASON\\s+OBJECT\\s+MESSAGE"), table);
        assertTrue(table.contains("deployment/web"), table);
    }

    @Test
    void kubectlCreatedEventsOfEitherApiShowInTheOther() {
        create("""
                apiVersion: v1
                kind: Event
                metadata: {name: core-made}
                involvedObject: {apiVersion: v1, kind: ConfigMap, name: settings, namespace: %s}
                reason: Reloaded
                message: settings reloaded
                type: Normal
                source: {component: compat-test}
                count: 2
                firstTimestamp: "2024-01-02T03:04:05Z"
                lastTimestamp: "2024-01-02T03:05:05Z"
                """.formatted(NS));
        create("""
                apiVersion: events.k8s.io/v1
                kind: Event
                metadata: {name: v1-made}
                eventTime: "2024-01-02T03:04:05.000000Z"
                reportingController: example.com/compat
                reportingInstance: compat-0
                action: Check
                reason: Checked
                note: checked through events.k8s.io
                type: Warning
                regarding: {apiVersion: v1, kind: ConfigMap, name: settings, namespace: %s}
                """.formatted(NS));

        assertEquals("settings settings reloaded compat-test 2", get(V1, "core-made",
                "{.regarding.name} {.note} {.deprecatedSource.component} {.deprecatedCount}"));
        assertEquals("settings checked through events.k8s.io example.com/compat Check", get("events", "v1-made",
                "{.involvedObject.name} {.message} {.reportingComponent} {.action}"));
        String listed = kubectl.ok("events", "-n", NS, "--for", "configmap/settings").out();
        assertTrue(listed.contains("settings reloaded") && listed.contains("checked through events.k8s.io"), listed);

        Kubectl.Result invalid = kubectl.run(Map.of(), """
                apiVersion: events.k8s.io/v1
                kind: Event
                metadata: {name: no-time}
                reason: Checked
                type: Normal
                regarding: {kind: ConfigMap, name: settings, namespace: %s}
                """.formatted(NS), Kubectl.DEFAULT_TIMEOUT, "create", "-n", NS, "-f", "-");
        assertTrue(invalid.err().contains("eventTime: Required value"), invalid::toString);
    }

    @Test
    void watchThroughEventsV1SeesCoreWritesAndDeletesGoFromBoth() throws Exception {
        Kubectl.Running watch = kubectl.start(Map.of(), null, "get", V1, "-n", NS, "-w", "--output-watch-events",
                "--field-selector", "regarding.name=watched", "-o", "jsonpath={.type} {.object.note}{\"\\n\"}");
        try {
            Thread.sleep(1500);
            create("""
                    apiVersion: v1
                    kind: Event
                    metadata: {name: watched-event}
                    involvedObject: {kind: Pod, name: watched, namespace: %s}
                    reason: Started
                    message: started by the test
                    type: Normal
                    """.formatted(NS));
            kubectl.ok("delete", V1, "watched-event", "-n", NS);
            Kubectl.Result gone = kubectl.run("get", "events", "watched-event", "-n", NS);
            assertTrue(gone.err().contains("NotFound"), gone::toString);
            List<String> expected = List.of("ADDED started by the test", "DELETED started by the test");
            for (int i = 0; i < 100 && !watch.out().lines().toList().equals(expected); i++) {
                Thread.sleep(200);
            }
            String err = watch.err();
            assertEquals(expected, watch.out().lines().toList(), err);
        } finally {
            watch.stop();
        }
    }
}
