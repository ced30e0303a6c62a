package dev.timon.compat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deployments on hollow nodes, driven by the real kubectl: convergence, self-healing, scaling and rollouts. */
class DeploymentTest extends OnHollowNodes {

    DeploymentTest() {
        super("deploy-node-", 3, "deploy");
    }

    Kubectl.Result ok(String... args) {
        Kubectl.Result result = kubectl.run(args);
        assertTrue(result.ok(), () -> String.join(" ", args) + "\n" + result);
        return result;
    }

    void apply(String namespace, String yaml) {
        kubectl.apply(namespace, yaml);
    }

    String deployment(String name, int replicas, String image, int maxUnavailable, int maxSurge) {
        return Manifests.deployment(name, name, replicas, Manifests.rollingUpdate(maxUnavailable, maxSurge),
                Manifests.container("main", image));
    }

    /** Pods of the namespace that are Ready and not being deleted. */
    long availablePods(List<Pod> pods) {
        return pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
                && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))).count();
    }

    List<Pod> livePods(String namespace) {
        return client.pods().inNamespace(namespace).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    void awaitAvailable(String namespace, String name, int replicas) {
        Await.until(name + " has " + replicas + "/" + replicas + " available", Await.DEFAULT, () -> {
            var d = client.apps().deployments().inNamespace(namespace).withName(name).get();
            return d != null && d.getStatus() != null && Objects.equals(d.getStatus().getAvailableReplicas(), replicas)
                    && Objects.equals(d.getStatus().getUpdatedReplicas(), replicas)
                    && Objects.equals(d.getStatus().getReplicas(), replicas)
                    && livePods(namespace).size() == replicas;
        }, () -> kubectl.run("get", "deploy,rs,pods", "-n", namespace).toString());
    }

    @Test
    void deploymentConvergesAndRolloutStatusSucceeds() {
        ok("create", "namespace", "deploy-converge");
        ok("create", "deployment", "web", "--image=nginx:1.25", "--replicas=3", "-n", "deploy-converge");
        awaitAvailable("deploy-converge", "web", 3);
        assertTrue(ok("rollout", "status", "deploy/web", "-n", "deploy-converge", "--timeout=60s").out()
                .contains("successfully rolled out"));
        String ready = ok("get", "deploy", "web", "-n", "deploy-converge", "--no-headers").out();
        assertTrue(ready.matches("(?s)web\\s+3/3\\s+3\\s+3\\s+.*"), ready);
        assertTrue(livePods("deploy-converge").stream().allMatch(p -> p.getSpec().getNodeName().startsWith("deploy-node-")));
    }

    @Test
    void deletedPodIsReplaced() {
        ok("create", "namespace", "deploy-heal");
        ok("create", "deployment", "web", "--image=nginx:1.25", "--replicas=2", "-n", "deploy-heal");
        awaitAvailable("deploy-heal", "web", 2);
        String victim = livePods("deploy-heal").get(0).getMetadata().getName();
        ok("delete", "pod", victim, "-n", "deploy-heal");
        Await.until("a replacement for " + victim, () -> {
            List<Pod> pods = livePods("deploy-heal");
            return pods.size() == 2 && pods.stream().noneMatch(p -> p.getMetadata().getName().equals(victim))
                    && availablePods(pods) == 2;
        });
    }

    @Test
    void scalesUpAndDown() {
        ok("create", "namespace", "deploy-scale");
        ok("create", "deployment", "web", "--image=nginx:1.25", "--replicas=1", "-n", "deploy-scale");
        awaitAvailable("deploy-scale", "web", 1);
        ok("scale", "deploy/web", "--replicas=5", "-n", "deploy-scale");
        awaitAvailable("deploy-scale", "web", 5);
        ok("scale", "deploy/web", "--replicas=2", "-n", "deploy-scale");
        awaitAvailable("deploy-scale", "web", 2);
    }

    @Test
    void pausedDeploymentStillScales() {
        ok("create", "namespace", "deploy-paused");
        ok("create", "deployment", "web", "--image=nginx:1.25", "--replicas=2", "-n", "deploy-paused");
        awaitAvailable("deploy-paused", "web", 2);
        ok("rollout", "pause", "deploy/web", "-n", "deploy-paused");
        ok("scale", "deploy/web", "--replicas=4", "-n", "deploy-paused");
        awaitAvailable("deploy-paused", "web", 4);
        ok("rollout", "resume", "deploy/web", "-n", "deploy-paused");
    }

    /**
     * set image makes a second ReplicaSet; a pod informer checks on every event that Ready pods never drop below
     * replicas - maxUnavailable. Then history lists both revisions and undo brings the first ReplicaSet back.
     */
    @Test
    void setImageRollsOutWithinMaxUnavailableAndUndoReturns() {
        String ns = "deploy-rollout";
        ok("create", "namespace", ns);
        apply(ns, deployment("web", 4, "nginx:1.25", 1, 1));
        awaitAvailable(ns, "web", 4);
        String firstRs = onlyReplicaSet(ns).getMetadata().getName();

        List<String> violations = new CopyOnWriteArrayList<>();
        SharedIndexInformer<Pod> informer = client.pods().inNamespace(ns).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                check();
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                check();
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                check();
            }

            private void check() {
                long available = availablePods(informer.getStore().list());
                if (available < 3) {
                    violations.add(available + " available");
                }
            }
        });
        informer.run();
        try {
            ok("set", "image", "deploy/web", "main=nginx:1.27", "-n", ns);
            assertTrue(ok("rollout", "status", "deploy/web", "-n", ns, "--timeout=60s").out().contains("successfully rolled out"));
            awaitAvailable(ns, "web", 4);
        } finally {
            informer.stop();
        }
        assertEquals(List.of(), violations, "Ready pods dropped below replicas - maxUnavailable");
        List<ReplicaSet> sets = client.apps().replicaSets().inNamespace(ns).list().getItems();
        assertEquals(2, sets.size());
        ReplicaSet second = sets.stream().filter(rs -> !rs.getMetadata().getName().equals(firstRs)).findFirst().orElseThrow();
        assertEquals(4, second.getSpec().getReplicas());
        assertEquals("nginx:1.27", second.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());

        String history = ok("rollout", "history", "deploy/web", "-n", ns).out();
        assertTrue(history.matches("(?s).*REVISION\\s+CHANGE-CAUSE\\s+1\\s+<none>\\s+2\\s+<none>.*"), history);

        ok("rollout", "undo", "deploy/web", "-n", ns);
        Await.until("the first ReplicaSet back at 4 replicas", Await.DEFAULT, () -> {
            ReplicaSet rs = client.apps().replicaSets().inNamespace(ns).withName(firstRs).get();
            return rs != null && rs.getSpec().getReplicas() == 4 && "3".equals(rs.getMetadata().getAnnotations()
                    .get("deployment.kubernetes.io/revision"));
        }, () -> kubectl.run("get", "rs", "-n", ns, "-o", "wide").toString());
        awaitAvailable(ns, "web", 4);
        assertEquals("nginx:1.25", ok("get", "deploy", "web", "-n", ns, "-o",
                "jsonpath={.spec.template.spec.containers[0].image}").out());
    }

    /**
     * A rollout stalled half-way (the new pods fit no node and maxUnavailable is 0, so it stops at maxSurge with old
     * 4 and new 2) is scaled: the change is shared in proportion to the ReplicaSets' sizes as upstream does, first
     * mid-rollout, then paused. Sizes follow upstream's GetProportion from the max-replicas annotation (6 = 4 + 2).
     */
    @Test
    void scalingAStalledRolloutSharesReplicasProportionally() {
        String ns = "deploy-proportional";
        ok("create", "namespace", ns);
        apply(ns, deployment("web", 4, "nginx:1.25", 0, 2));
        awaitAvailable(ns, "web", 4);
        String oldRs = onlyReplicaSet(ns).getMetadata().getName();
        ok("patch", "deploy/web", "-n", ns, "--type=merge", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":{\"pool\":\"nowhere\"}}}}}");
        awaitReplicaSetSizes(ns, oldRs, 4, 2, 4);

        // 8 + maxSurge 2 = 10 shared as 4 * 10 / 6 = 6.67 -> 7 and 2 * 10 / 6 = 3.33 -> 3.
        ok("scale", "deploy/web", "--replicas=8", "-n", ns);
        awaitReplicaSetSizes(ns, oldRs, 7, 3, 8);

        // Paused, down to 2 + 2 = 4: 7 * 4 / 10 = 2.8 -> 3 and 3 * 4 / 10 = 1.2 -> 1.
        ok("rollout", "pause", "deploy/web", "-n", ns);
        ok("scale", "deploy/web", "--replicas=2", "-n", ns);
        awaitReplicaSetSizes(ns, oldRs, 3, 1, 2);
        String events = ok("get", "events", "-n", ns,
                "-o", "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}").out();
        assertTrue(events.contains("Scaled up replica set " + oldRs + " from 4 to 7"), events);
        assertTrue(events.contains("Scaled down replica set " + oldRs + " from 7 to 3"), events);
    }

    /** Waits for the old and the (one) new ReplicaSet to be sized so, both annotated for {@code replicas}. */
    private void awaitReplicaSetSizes(String ns, String oldRs, int oldSize, int newSize, int replicas) {
        Await.until("replica sets " + oldRs + "=" + oldSize + " and new=" + newSize, Await.DEFAULT, () -> {
            List<ReplicaSet> sets = client.apps().replicaSets().inNamespace(ns).list().getItems();
            return sets.size() == 2 && sets.stream().allMatch(rs -> {
                int expected = rs.getMetadata().getName().equals(oldRs) ? oldSize : newSize;
                return rs.getSpec().getReplicas() == expected && Integer.toString(replicas).equals(
                        rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/desired-replicas"));
            });
        }, () -> kubectl.run("get", "rs", "-n", ns, "-o", "yaml").toString());
    }

    private ReplicaSet onlyReplicaSet(String namespace) {
        List<ReplicaSet> sets = client.apps().replicaSets().inNamespace(namespace).list().getItems();
        assertEquals(1, sets.size(), sets::toString);
        return sets.get(0);
    }
}
