package dev.timon.compat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kubectl delete with each propagation policy, and namespace deletion, on hollow nodes. */
class GarbageCollectionTest extends OnHollowNodes {

    GarbageCollectionTest() {
        super("gc-node-", 2, "gc");
    }

    private Kubectl.Result ok(String... args) {
        Kubectl.Result result = kubectl.run(args);
        assertTrue(result.ok(), () -> String.join(" ", args) + "\n" + result);
        return result;
    }

    /** A ReplicaSet of 2 whose pods carry {@code podFinalizer} (none when null), applied and running. */
    private void replicaSet(String namespace, String podFinalizer) {
        String finalizers = podFinalizer == null ? "" : "\n      finalizers: [" + podFinalizer + "]";
        String yaml = """
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata: {name: rs}
                spec:
                  replicas: 2
                  selector:
                    matchLabels: {app: rs}
                  template:
                    metadata:
                      labels: {app: rs}%s
                    spec:
                      containers:
                      - {name: main, image: nginx:1.25}
                """.formatted(finalizers);
        ok("create", "namespace", namespace);
        kubectl.apply(namespace, yaml);
        Await.until("2 pods of rs in " + namespace, () -> pods(namespace).size() == 2
                && pods(namespace).stream().allMatch(p -> p.getSpec().getNodeName() != null));
    }

    private List<Pod> pods(String namespace) {
        return client.pods().inNamespace(namespace).list().getItems();
    }

    private ReplicaSet rs(String namespace) {
        return client.apps().replicaSets().inNamespace(namespace).withName("rs").get();
    }

    @Test
    void backgroundDeletesTheDependents() {
        replicaSet("gc-background", null);
        ok("delete", "rs", "rs", "-n", "gc-background", "--cascade=background");
        Await.until("the pods are deleted", () -> pods("gc-background").isEmpty());
    }

    @Test
    void orphanKeepsThePodsWithoutOwnerReferences() {
        replicaSet("gc-orphan", null);
        ok("delete", "rs", "rs", "-n", "gc-orphan", "--cascade=orphan");
        Await.until("the ReplicaSet is gone", () -> rs("gc-orphan") == null);
        Await.until("the pods lose their ownerReferences", () -> pods("gc-orphan").stream()
                .allMatch(p -> p.getMetadata().getOwnerReferences() == null || p.getMetadata().getOwnerReferences().isEmpty()));
        assertEquals(2, pods("gc-orphan").size());
    }

    /** The pods hold a finalizer of the test's, so the owner is seen waiting until the test releases them. */
    @Test
    void foregroundOwnerWaitsForItsDependents() {
        String ns = "gc-foreground";
        replicaSet(ns, "test.timon.dev/hold");
        ok("delete", "rs", "rs", "-n", ns, "--cascade=foreground", "--wait=false");
        Await.until("the pods are being deleted", () -> pods(ns).stream()
                .allMatch(p -> p.getMetadata().getDeletionTimestamp() != null));
        ReplicaSet waiting = rs(ns);
        assertTrue(waiting != null && waiting.getMetadata().getDeletionTimestamp() != null
                && waiting.getMetadata().getFinalizers().contains("foregroundDeletion"), String.valueOf(waiting));
        for (Pod pod : pods(ns)) {
            client.pods().inNamespace(ns).withName(pod.getMetadata().getName())
                    .edit(p -> { p.getMetadata().setFinalizers(List.of()); return p; });
        }
        Await.until("the pods and then the ReplicaSet are gone", () -> pods(ns).isEmpty() && rs(ns) == null);
    }

    @Test
    void namespaceDeletionRemovesItsContentsThenTheNamespace() {
        String ns = "gc-namespace";
        replicaSet(ns, null);
        ok("create", "configmap", "settings", "--from-literal=k=v", "-n", ns);
        // The controller deletes each kind as a collection: a namespace beside it keeps its own of the same kinds.
        String sibling = ns + "-sibling";
        replicaSet(sibling, null);
        ok("create", "configmap", "settings", "--from-literal=k=v", "-n", sibling);
        ok("delete", "namespace", ns, "--wait=false");
        Await.until("namespace " + ns + " is gone", () -> client.namespaces().withName(ns).get() == null);
        assertTrue(pods(ns).isEmpty());
        assertTrue(client.configMaps().inNamespace(ns).list().getItems().isEmpty());
        assertTrue(client.apps().replicaSets().inNamespace(ns).list().getItems().isEmpty());
        assertNotNull(client.configMaps().inNamespace(sibling).withName("settings").get());
        assertNotNull(rs(sibling));
        assertEquals(2, pods(sibling).size());
        ok("delete", "namespace", sibling, "--wait=false");
    }
}
