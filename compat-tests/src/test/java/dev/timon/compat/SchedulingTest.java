package dev.timon.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Placement on three hollow nodes (4 cpu, 16Gi each) as kubectl users see it: FailedScheduling messages,
 * nodeSelector, taints and tolerations, required node affinity. Labels and taints are removed after each test.
 */
class SchedulingTest extends OnHollowNodes {

    SchedulingTest() {
        super("sched-node-", 3, "sched");
    }

    @AfterEach
    void plainNodes() {
        for (String node : nodes.nodeNames()) {
            kubectl.run("label", "node", node, "disk-", "zone-");
            kubectl.run("taint", "node", node, "dedicated-");
        }
    }

    private Kubectl.Result ok(String... args) {
        Kubectl.Result result = kubectl.run(args);
        assertTrue(result.ok(), () -> String.join(" ", args) + "\n" + result);
        return result;
    }

    private void pod(String namespace, String name, String specExtra) {
        String yaml = """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  containers:
                  - name: main
                    image: nginx:1.25%s
                """.formatted(name, specExtra.isEmpty() ? "" : "\n" + specExtra.stripTrailing().indent(2).stripTrailing());
        kubectl.apply(namespace, yaml);
    }

    private String nodeOf(String namespace, String name) {
        Await.until(name + " is bound", () -> {
            Pod pod = client.pods().inNamespace(namespace).withName(name).get();
            return pod != null && pod.getSpec().getNodeName() != null;
        });
        return client.pods().inNamespace(namespace).withName(name).get().getSpec().getNodeName();
    }

    private void awaitFailedScheduling(String namespace, String pod, String message) {
        Await.until("FailedScheduling of " + pod + ": " + message, Await.DEFAULT, () -> {
            String events = kubectl.run("get", "events", "-n", namespace, "--field-selector",
                    "involvedObject.name=" + pod + ",reason=FailedScheduling", "-o", "jsonpath={.items[*].message}").out();
            return events.contains(message);
        }, () -> kubectl.run("describe", "pod", pod, "-n", namespace).toString());
        String describe = ok("describe", "pod", pod, "-n", namespace).out();
        assertTrue(describe.matches("(?s).*Warning\\s+FailedScheduling\\s+.*default-scheduler\\s+" + java.util.regex.Pattern.quote(message) + ".*"),
                describe);
    }

    @Test
    void podTooBigForEveryNodeGetsFailedScheduling() {
        ok("create", "namespace", "sched-big");
        pod("sched-big", "big", """
                  resources:
                    requests: {cpu: "100"}
                """);
        awaitFailedScheduling("sched-big", "big", "0/3 nodes are available: 3 Insufficient cpu.");
        assertEquals("Pending", ok("get", "pod", "big", "-n", "sched-big", "-o", "jsonpath={.status.phase}").out());
    }

    @Test
    void mixedReasonsAreCountedAndSorted() {
        ok("create", "namespace", "sched-mixed");
        ok("taint", "node", nodes.name(0), "dedicated=infra:NoSchedule");
        pod("sched-mixed", "huge", """
                  resources:
                    requests: {memory: 100Gi}
                """);
        awaitFailedScheduling("sched-mixed", "huge",
                "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: infra}, 2 Insufficient memory.");
    }

    @Test
    void nodeSelectorPicksTheLabelledNode() {
        ok("create", "namespace", "sched-selector");
        ok("label", "node", nodes.name(1), "disk=ssd");
        pod("sched-selector", "fast", "nodeSelector: {disk: ssd}");
        assertEquals(nodes.name(1), nodeOf("sched-selector", "fast"));
    }

    /** Upstream's binding writes the pod past the field manager: nobody is recorded as owning spec.nodeName. */
    @Test
    void bindingSetsPodScheduledAndRecordsNoFieldManager() throws Exception {
        ok("create", "namespace", "sched-binding");
        pod("sched-binding", "bound", "");
        nodeOf("sched-binding", "bound");
        JsonNode pod = new ObjectMapper().readTree(ok("get", "pod", "bound", "-n", "sched-binding", "-o", "json",
                "--show-managed-fields").out());
        boolean scheduled = false;
        for (JsonNode condition : pod.at("/status/conditions")) {
            scheduled |= condition.path("type").asText().equals("PodScheduled") && condition.path("status").asText().equals("True");
        }
        assertTrue(scheduled, pod::toString);
        assertTrue(pod.at("/metadata/managedFields").size() > 0, pod::toString);
        for (JsonNode entry : pod.at("/metadata/managedFields")) {
            assertTrue(entry.at("/fieldsV1/f:spec/f:nodeName").isMissingNode(), entry::toString);
        }
    }

    @Test
    void taintsRepelPodsThatDoNotTolerateThem() {
        ok("create", "namespace", "sched-taints");
        ok("taint", "node", nodes.name(0), "dedicated=infra:NoSchedule");
        ok("taint", "node", nodes.name(1), "dedicated=infra:NoExecute");
        for (int i = 0; i < 3; i++) {
            pod("sched-taints", "plain-" + i, "");
            assertEquals(nodes.name(2), nodeOf("sched-taints", "plain-" + i));
        }
        pod("sched-taints", "tolerant", """
                nodeSelector: {kubernetes.io/hostname: %s}
                tolerations:
                - {key: dedicated, operator: Equal, value: infra, effect: NoSchedule}
                """.formatted(nodes.name(0)));
        assertEquals(nodes.name(0), nodeOf("sched-taints", "tolerant"));
    }

    @Test
    void requiredNodeAffinityIsHonoured() {
        ok("create", "namespace", "sched-affinity");
        ok("label", "node", nodes.name(0), "zone=a");
        ok("label", "node", nodes.name(1), "zone=a");
        ok("label", "node", nodes.name(2), "zone=b");
        pod("sched-affinity", "in-b", affinity("zone", "In", "[b]"));
        assertEquals(nodes.name(2), nodeOf("sched-affinity", "in-b"));
        ok("label", "node", nodes.name(1), "zone-");
        pod("sched-affinity", "no-zone", affinity("zone", "DoesNotExist", null));
        assertEquals(nodes.name(1), nodeOf("sched-affinity", "no-zone"));
    }

    private String affinity(String key, String operator, String values) {
        String expression = "{key: " + key + ", operator: " + operator + (values == null ? "" : ", values: " + values) + "}";
        return """
                affinity:
                  nodeAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms:
                      - matchExpressions:
                        - %s
                """.formatted(expression);
    }
}
