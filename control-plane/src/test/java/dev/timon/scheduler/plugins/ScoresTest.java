package dev.timon.scheduler.plugins;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import static dev.timon.scheduler.plugins.Fixtures.info;
import static dev.timon.scheduler.plugins.Fixtures.pod;
import static dev.timon.scheduler.plugins.Fixtures.podInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Score plugins on a 4-cpu, 8Gi node. */
class ScoresTest {

    @Test
    void leastAllocatedIsTheFreeShareAfterPlacingThePod() {
        Pod pod = pod("p", "cpu", "1", "memory", "2Gi").build();
        assertEquals(75, new LeastAllocated().score(podInfo(pod), info(n -> n)));
        assertEquals(25, new LeastAllocated().score(podInfo(pod), info(n -> n, pod("a", "cpu", "2", "memory", "4Gi").build())));
    }

    @Test
    void leastAllocatedCountsDefaultRequestsForPodsAskingNothing() {
        // 100m of 4000m and 200Mi of 8Gi: (97 + 97) / 2
        assertEquals(97, new LeastAllocated().score(podInfo(pod("p").build()), info(n -> n)));
    }

    @Test
    void balancedAllocationPrefersEqualCpuAndMemoryShares() {
        Pod balanced = pod("p", "cpu", "2", "memory", "4Gi").build();
        Pod skewed = pod("p", "cpu", "4", "memory", "1Gi").build();
        assertEquals(100, new BalancedAllocation().score(podInfo(balanced), info(n -> n)));
        int skewedScore = new BalancedAllocation().score(podInfo(skewed), info(n -> n));
        assertEquals(56, skewedScore); // |1 - 0.125| / 2 off a perfect 100
    }

    @Test
    void ownerSpreadPrefersNodesWithFewerSiblings() {
        Pod sibling = owned("a");
        OwnerSpread spread = new OwnerSpread();
        int empty = spread.score(podInfo(owned("p")), info(n -> n));
        int one = spread.score(podInfo(owned("p")), info(n -> n, sibling));
        int two = spread.score(podInfo(owned("p")), info(n -> n, sibling, owned("b")));
        assertEquals(100, empty);
        assertTrue(empty > one && one > two, empty + " > " + one + " > " + two);
        assertEquals(100, spread.score(podInfo(pod("bare").build()), info(n -> n, sibling)), "no owner, no preference");
    }

    private static Pod owned(String name) {
        return pod(name).editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1")
                .withKind("ReplicaSet").withName("rs").withUid("rs-uid").withController(true).build()).endMetadata().build();
    }
}
