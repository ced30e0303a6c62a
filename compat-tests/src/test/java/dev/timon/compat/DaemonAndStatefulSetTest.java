package dev.timon.compat;

import dev.timon.controllers.PodConditions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
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

    /** The revision numbers `kubectl rollout history` lists, in order. */
    private List<String> historyRevisions(String namespace, String workload) {
        String history = kubectl.ok("rollout", "history", workload, "-n", namespace).out();
        assertTrue(history.contains("REVISION  CHANGE-CAUSE"), history);
        return history.lines().filter(l -> l.matches("\\d+\\s+<none>\\s*")).map(l -> l.split("\\s+")[0]).toList();
    }

    /** The ControllerRevision a workload recorded as {@code number}. */
    private ControllerRevision revision(String namespace, String owner, long number) {
        return client.apps().controllerRevisions().inNamespace(namespace).list().getItems().stream()
                .filter(r -> r.getMetadata().getOwnerReferences().get(0).getName().equals(owner) && r.getRevision() == number)
                .findFirst().orElseThrow(() -> new AssertionError(kubectl.run("get", "controllerrevisions", "-n", namespace)));
    }

    /** Waits until the workload's live pods all run {@code image} and carry {@code hashLabel}. */
    private void awaitPods(String namespace, String app, int count, String image, String hashLabel) {
        Await.until(count + " ready " + app + " pods of " + image + " labelled " + hashLabel, Duration.ofSeconds(60), () -> {
            List<Pod> pods = client.pods().inNamespace(namespace).withLabel("app", app).list().getItems().stream()
                    .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
            return pods.size() == count && pods.stream().allMatch(p -> PodConditions.isReady(p)
                    && image.equals(p.getSpec().getContainers().get(0).getImage())
                    && hashLabel.equals(p.getMetadata().getLabels().get("controller-revision-hash")));
        }, () -> kubectl.run("get", "pods", "-n", namespace, "-L", "controller-revision-hash", "-o", "wide").toString());
    }

    /**
     * Each DaemonSet template is a ControllerRevision: `kubectl rollout history` lists them, `get controllerrevisions`
     * prints them as upstream, pods carry the revision's hash, and `rollout undo` brings the first template back
     * as revision 3 (the old revision renumbered, not copied).
     */
    @Test
    void daemonSetHistoryAndUndoGoThroughControllerRevisions() {
        String ns = "b-ds-history";
        kubectl.ok("create", "namespace", ns);
        kubectl.apply(ns, """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: logger}
                spec:
                  selector:
                    matchLabels: {app: logger}
                  template:
                    metadata:
                      labels: {app: logger}
                    spec:
                      nodeSelector: {pool: b-ds}
                      containers: [{name: main, image: busybox:1.36}]
                """);
        kubectl.ok("rollout", "status", "daemonset/logger", "-n", ns, "--timeout=60s");
        String firstHash = revision(ns, "logger", 1).getMetadata().getLabels().get("controller-revision-hash");
        awaitPods(ns, "logger", 3, "busybox:1.36", firstHash);

        kubectl.ok("set", "image", "daemonset/logger", "main=busybox:1.37", "-n", ns);
        kubectl.ok("rollout", "status", "daemonset/logger", "-n", ns, "--timeout=60s");
        assertEquals(List.of("1", "2"), historyRevisions(ns, "daemonset/logger"));
        ControllerRevision second = revision(ns, "logger", 2);
        awaitPods(ns, "logger", 3, "busybox:1.37", second.getMetadata().getLabels().get("controller-revision-hash"));
        String table = kubectl.ok("get", "controllerrevisions", "-n", ns).out();
        assertTrue(table.startsWith("NAME"), table);
        assertEquals(List.of("NAME", "CONTROLLER", "REVISION", "AGE"), List.of(table.lines().findFirst().orElseThrow().split("\\s+")));
        assertTrue(table.lines().anyMatch(l -> l.matches(second.getMetadata().getName() + "\\s+daemonset.apps/logger\\s+2\\s+.*")), table);
        assertTrue(kubectl.ok("rollout", "history", "daemonset/logger", "-n", ns, "--revision=1").out().contains("busybox:1.36"));

        assertEquals("daemonset.apps/logger rolled back\n", kubectl.ok("rollout", "undo", "daemonset/logger", "-n", ns).out());
        kubectl.ok("rollout", "status", "daemonset/logger", "-n", ns, "--timeout=60s");
        assertEquals(List.of("2", "3"), historyRevisions(ns, "daemonset/logger"));
        assertEquals(firstHash, revision(ns, "logger", 3).getMetadata().getLabels().get("controller-revision-hash"));
        awaitPods(ns, "logger", 3, "busybox:1.36", firstHash);
    }

    /**
     * StatefulSet revisions: history and undo as for DaemonSets, with the revision name in the pods' label and in
     * status; with a partition, a deleted pod below it comes back from the current revision's template.
     */
    @Test
    void statefulSetHistoryUndoAndPartitionUseControllerRevisions() {
        String ns = "b-sts-history";
        kubectl.ok("create", "namespace", ns);
        kubectl.apply(ns, """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  serviceName: db
                  replicas: 2
                  selector:
                    matchLabels: {app: db}
                  template:
                    metadata:
                      labels: {app: db}
                    spec:
                      nodeSelector: {pool: b-ds}
                      containers: [{name: main, image: nginx:1.25}]
                """);
        kubectl.ok("rollout", "status", "statefulset/db", "-n", ns, "--timeout=60s");
        String first = revision(ns, "db", 1).getMetadata().getName();
        awaitPods(ns, "db", 2, "nginx:1.25", first);

        kubectl.ok("set", "image", "statefulset/db", "main=nginx:1.27", "-n", ns);
        kubectl.ok("rollout", "status", "statefulset/db", "-n", ns, "--timeout=60s");
        assertEquals(List.of("1", "2"), historyRevisions(ns, "statefulset/db"));
        String second = revision(ns, "db", 2).getMetadata().getName();
        awaitPods(ns, "db", 2, "nginx:1.27", second);

        assertEquals("statefulset.apps/db rolled back\n", kubectl.ok("rollout", "undo", "statefulset/db", "-n", ns).out());
        kubectl.ok("rollout", "status", "statefulset/db", "-n", ns, "--timeout=60s");
        assertEquals(List.of("2", "3"), historyRevisions(ns, "statefulset/db"));
        assertEquals(first, revision(ns, "db", 3).getMetadata().getName());
        awaitPods(ns, "db", 2, "nginx:1.25", first);
        assertEquals(first + " " + first, kubectl.ok("get", "sts", "db", "-n", ns, "-o",
                "jsonpath={.status.currentRevision} {.status.updateRevision}").out());

        // Partition 1: only db-1 moves to nginx:1.27; db-0, deleted, comes back as the current revision.
        kubectl.ok("patch", "statefulset", "db", "-n", ns, "-p", "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"partition\":1}}}}");
        kubectl.ok("set", "image", "statefulset/db", "main=nginx:1.27", "-n", ns);
        Await.until("db-1 on nginx:1.27 as " + second, Duration.ofSeconds(60), () -> {
            Pod pod = client.pods().inNamespace(ns).withName("db-1").get();
            return pod != null && PodConditions.isReady(pod) && second.equals(pod.getMetadata().getLabels().get("controller-revision-hash"))
                    && "nginx:1.27".equals(pod.getSpec().getContainers().get(0).getImage());
        });
        String oldUid = client.pods().inNamespace(ns).withName("db-0").get().getMetadata().getUid();
        // --wait=false: the hollow node removes db-0 at once and the controller recreates it within milliseconds, so
        // kubectl's wait (GET, then a list and a watch by name) can find the new db-0 and wait for a deletion that
        // already happened. The await below checks the deletion by UID instead.
        kubectl.ok("delete", "pod", "db-0", "-n", ns, "--wait=false");
        Pod recreated = Await.until("db-0 recreated", Duration.ofSeconds(60),
                () -> client.pods().inNamespace(ns).withName("db-0").get(),
                p -> p != null && !p.getMetadata().getUid().equals(oldUid) && PodConditions.isReady(p));
        assertEquals("nginx:1.25", recreated.getSpec().getContainers().get(0).getImage());
        assertEquals(first, recreated.getMetadata().getLabels().get("controller-revision-hash"));
    }
}
