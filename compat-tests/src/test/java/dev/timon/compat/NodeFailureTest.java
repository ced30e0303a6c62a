package dev.timon.compat;

import dev.timon.client.KubeClients;
import dev.timon.controllers.PodConditions;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Node lifecycle, taint eviction and pod GC. The compat-tests run the node lifecycle controller with a 20 s
 * grace period (see the pom), so a stopped hollow node is noticed well inside the bounded waits.
 */
class NodeFailureTest {

    private static Kubectl kubectl;
    private static KubernetesClient client;
    /** One hollow node per pool object, so one of them can be stopped alone. */
    private static final List<HollowPool> nodes = new ArrayList<>();

    @BeforeAll
    static void startNodes() throws Exception {
        kubectl = TestCluster.get().kubectl();
        client = KubeClients.fromKubeconfig(TestCluster.get().kubeconfig());
        for (int i = 0; i < 3; i++) {
            nodes.add(HollowPool.start("b-nf" + i + "-", 1, "b-nf"));
        }
    }

    @AfterAll
    static void stopNodes() {
        nodes.forEach(HollowPool::close);
        client.close();
    }

    private static List<Pod> readyPods(String namespace) {
        return client.pods().inNamespace(namespace).list().getItems().stream().filter(p -> PodConditions.isActive(p) && PodConditions.isReady(p)).toList();
    }

    @Test
    void podsOfAStoppedNodeComeBackOnTheOthers() {
        kubectl.ok("create", "namespace", "b-nodefail");
        // Tolerating unreachable for 0 s instead of the default 300 s: eviction follows the taint at once.
        kubectl.apply("b-nodefail", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: svc}
                spec:
                  replicas: 3
                  selector:
                    matchLabels: {app: svc}
                  template:
                    metadata:
                      labels: {app: svc}
                    spec:
                      nodeSelector: {pool: b-nf}
                      tolerations:
                      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 0}
                      containers: [{name: main, image: nginx:1.25}]
                """);
        kubectl.ok("rollout", "status", "deployment/svc", "-n", "b-nodefail", "--timeout=50s");
        String victim = readyPods("b-nodefail").get(0).getSpec().getNodeName();
        HollowPool stopped = nodes.stream().filter(p -> p.nodeNames().contains(victim)).findFirst().orElseThrow();
        stopped.stopAgents();

        Node unreachable = Await.until(victim + " Ready=Unknown with the unreachable NoExecute taint", Duration.ofSeconds(90),
                () -> client.nodes().withName(victim).get(),
                n -> n.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "Unknown".equals(c.getStatus()))
                        && n.getSpec().getTaints() != null && n.getSpec().getTaints().stream().anyMatch(
                        t -> "node.kubernetes.io/unreachable".equals(t.getKey()) && "NoExecute".equals(t.getEffect())));
        assertNotNull(unreachable.getSpec().getTaints().stream().filter(t -> "NoExecute".equals(t.getEffect()))
                .findFirst().orElseThrow().getTimeAdded());
        String nodeTable = kubectl.ok("get", "node", victim).out();
        assertTrue(nodeTable.lines().anyMatch(l -> l.matches(victim + "\\s+NotReady\\s+.*")), nodeTable);

        List<Pod> replaced = Await.until("3 ready svc pods, none on " + victim, Duration.ofSeconds(60),
                () -> readyPods("b-nodefail"), pods -> pods.size() == 3 && pods.stream().noneMatch(p -> victim.equals(p.getSpec().getNodeName())));
        assertEquals(3, replaced.size());
        assertEquals("3", kubectl.ok("get", "deploy", "svc", "-n", "b-nodefail", "-o", "jsonpath={.status.availableReplicas}").out());
    }

    @Test
    void aNodeNoKubeletEverReportedForBecomesUnknownAndUnreachable() {
        // A bare manifest: no status at all, and no kubelet will ever write one (this once failed the controller on
        // every pass with a NullPointerException, and the node stayed as created).
        kubectl.apply("default", """
                apiVersion: v1
                kind: Node
                metadata: {name: b-bare, labels: {pool: b-bare}}
                """);
        try {
            Node marked = Await.until("b-bare Ready=Unknown (NodeStatusNeverUpdated) with the unreachable taints",
                    Duration.ofSeconds(90), () -> client.nodes().withName("b-bare").get(),
                    n -> n.getStatus() != null && n.getStatus().getConditions() != null
                            && n.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType())
                            && "Unknown".equals(c.getStatus()) && "NodeStatusNeverUpdated".equals(c.getReason()))
                            && n.getSpec().getTaints() != null && n.getSpec().getTaints().stream()
                            .filter(t -> "node.kubernetes.io/unreachable".equals(t.getKey())).count() == 2);
            assertTrue(kubectl.ok("get", "node", "b-bare").out().lines().anyMatch(l -> l.matches("b-bare\\s+NotReady\\s+.*")),
                    marked.toString());
        } finally {
            kubectl.ok("delete", "node", "b-bare");
        }
    }

    @Test
    void podGcDeletesPodsOfADeletedNode() {
        kubectl.ok("create", "namespace", "b-podgc");
        kubectl.apply("b-podgc", """
                apiVersion: v1
                kind: Node
                metadata: {name: b-ghost, labels: {pool: b-ghost}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: stranded}
                spec:
                  nodeName: b-ghost
                  containers: [{name: main, image: busybox:1.36}]
                """);
        assertEquals("b-ghost", kubectl.ok("get", "pod", "stranded", "-n", "b-podgc", "-o", "jsonpath={.spec.nodeName}").out());
        kubectl.ok("delete", "node", "b-ghost");
        Await.until("pod stranded deleted by pod GC", Duration.ofSeconds(60),
                () -> client.pods().inNamespace("b-podgc").withName("stranded").get(), java.util.Objects::isNull);
    }
}
