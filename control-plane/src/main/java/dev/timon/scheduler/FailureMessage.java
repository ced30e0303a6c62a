package dev.timon.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Upstream's FitError text: "0/3 nodes are available: 1 Insufficient memory, 2 Insufficient cpu." */
public final class FailureMessage {

    private FailureMessage() {
    }

    public static String of(int nodeCount, Map<String, Integer> reasonCounts) {
        if (nodeCount == 0) {
            return "no nodes available to schedule pods";
        }
        List<String> parts = new ArrayList<>();
        new TreeMap<>(reasonCounts).forEach((reason, count) -> parts.add(count + " " + reason));
        parts.sort(null); // upstream sorts the "count reason" strings
        return "0/" + nodeCount + " nodes are available: " + String.join(", ", parts) + ".";
    }
}
