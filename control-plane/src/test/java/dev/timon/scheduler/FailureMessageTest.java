package dev.timon.scheduler;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FailureMessageTest {

    @Test
    void oneReasonOnEveryNode() {
        assertEquals("0/3 nodes are available: 3 Insufficient cpu.", FailureMessage.of(3, Map.of("Insufficient cpu", 3)));
    }

    @Test
    void mixedReasonsAreSortedAsCountedStrings() {
        assertEquals("0/3 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 Insufficient memory.",
                FailureMessage.of(3, Map.of("Insufficient memory", 2, "node(s) had untolerated taint {k: v}", 1)));
    }

    @Test
    void equalCountsSortByReason() {
        assertEquals("0/4 nodes are available: 2 Insufficient cpu, 2 node(s) were unschedulable.",
                FailureMessage.of(4, Map.of("node(s) were unschedulable", 2, "Insufficient cpu", 2)));
    }

    @Test
    void noNodesAtAll() {
        assertEquals("no nodes available to schedule pods", FailureMessage.of(0, Map.of()));
    }
}
