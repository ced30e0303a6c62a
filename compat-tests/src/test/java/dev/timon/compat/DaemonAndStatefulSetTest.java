package dev.timon.compat;

import dev.timon.controllers.PodConditions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DaemonSet and StatefulSet controllers on hollow nodes, driven and read with the real kubectl. */
class DaemonAndStatefulSetTest extends OnHollowNodes {

    DaemonAndStatefulSetTest() {
        super("b-ds-", 3, "b-ds");
    }

    /** Node name to the daemon pods running Ready there. */
    private Map<String, List<String>> daemonPodsByNode() {
        return client.pods().inNamespace("b-daemon").list().getItems().stream().filter(PodConditions::isReady)
                .collect(Collectors.groupingBy(p -> p.getSpec().getNodeName(),
                        Collectors.mapping(p -> p.getMetadata().getName(), Collectors.toList())));
    }

    @Test
    void daemonSetRunsOnePodOnEveryNodeOfItsPoolIncludingANewOne() throws Exception {
        kubectl.ok("create", "namespace", "b-daemon");
        kubectl.apply("b-daemon", """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent}
                spec:
                  selector:
                    matchLabels: {app: agent}
                  template:
                    metadata:
                      labels: {app: agent}
                    spec:
                      nodeSelector: {pool: b-ds}
                      containers: [{name: main, image: busybox:1.36}]
                """);
        Map<String, List<String>> byNode = Await.until("a ready daemon pod on each of " + nodes.nodeNames(),
                Duration.ofSeconds(40), this::daemonPodsByNode,
                m -> m.keySet().equals(Set.copyOf(nodes.nodeNames())));
        byNode.forEach((node, pods) -> assertEquals(1, pods.size(), node + " runs " + pods));
        Await.until("kubectl get ds shows 3 desired, current, ready, up-to-date and available", Duration.ofSeconds(20),
                () -> kubectl.ok("get", "ds", "agent", "-n", "b-daemon").out(),
                table -> table.lines().anyMatch(l -> l.matches("agent\\s+3\\s+3\\s+3\\s+3\\s+3\\s+pool=b-ds\\s+.*")));

        try (HollowPool extra = HollowPool.start("b-dsx-", 1, "b-ds")) {
            Set<String> all = new HashSet<>(nodes.nodeNames());
            all.addAll(extra.nodeNames());
            byNode = Await.until("a daemon pod on the new node " + extra.nodeNames(), Duration.ofSeconds(40),
                    this::daemonPodsByNode, m -> m.keySet().equals(all));
            byNode.forEach((node, pods) -> assertEquals(1, pods.size(), node + " runs " + pods));
            assertEquals("4", Await.until("desiredNumberScheduled 4", Duration.ofSeconds(20),
                    () -> kubectl.ok("get", "ds", "agent", "-n", "b-daemon", "-o", "jsonpath={.status.desiredNumberScheduled}").out(),
                    "4"::equals));
        }
    }

    @Test
    void statefulSetCreatesPodsInOrderAndRemovesThemInReverse() throws Exception {
        kubectl.ok("create", "namespace", "b-sts");
        List<String> created = Collections.synchronizedList(new ArrayList<>());
        List<String> deleting = Collections.synchronizedList(new ArrayList<>());
        Set<String> ready = ConcurrentHashMap.newKeySet();
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        try (Watch ignored = client.pods().inNamespace("b-sts").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                String name = pod.getMetadata().getName();
                int ordinal = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
                if (action == Action.ADDED) {
                    created.add(name);
                    // OrderedReady: web-N is created only once web-(N-1) is Running and Ready.
                    if (ordinal > 0 && !ready.contains("web-" + (ordinal - 1))) {
                        violations.add(name + " created before web-" + (ordinal - 1) + " was ready");
                    }
                }
                if (action != Action.DELETED && PodConditions.isReady(pod) && pod.getMetadata().getDeletionTimestamp() == null) {
                    ready.add(name);
                }
                if ((action == Action.DELETED || pod.getMetadata().getDeletionTimestamp() != null) && !deleting.contains(name)) {
                    deleting.add(name);
                    // Scale down takes the highest ordinal first, each once the ones above it are gone.
                    for (int higher = ordinal + 1; higher < 3; higher++) {
                        if (!deleting.contains("web-" + higher)) {
                            violations.add(name + " deleted while web-" + higher + " remained");
                        }
                    }
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            kubectl.apply("b-sts", """
                    apiVersion: v1
                    kind: Service
                    metadata: {name: web}
                    spec:
                      clusterIP: None
                      selector: {app: web}
                      ports: [{port: 80}]
                    ---
                    apiVersion: apps/v1
                    kind: StatefulSet
                    metadata: {name: web}
                    spec:
                      serviceName: web
                      replicas: 3
                      selector:
                        matchLabels: {app: web}
                      template:
                        metadata:
                          labels: {app: web}
                        spec:
                          nodeSelector: {pool: b-ds}
                          containers: [{name: main, image: nginx:1.25}]
                    """);
            kubectl.ok("rollout", "status", "statefulset/web", "-n", "b-sts", "--timeout=50s");
            assertEquals(List.of("web-0", "web-1", "web-2"), List.copyOf(created));
            assertEquals("3", kubectl.ok("get", "sts", "web", "-n", "b-sts", "-o", "jsonpath={.status.readyReplicas}").out());
            String hostname = kubectl.ok("get", "pod", "web-1", "-n", "b-sts", "-o", "jsonpath={.spec.hostname}/{.spec.subdomain}").out();
            assertEquals("web-1/web", hostname);

            kubectl.ok("scale", "statefulset", "web", "-n", "b-sts", "--replicas=0");
            Await.until("every web pod gone", Duration.ofSeconds(50),
                    () -> client.pods().inNamespace("b-sts").list().getItems().size(), n -> n == 0);
        }
        assertEquals(List.of("web-2", "web-1", "web-0"), List.copyOf(deleting));
        assertEquals(List.of(), violations);
    }
}
