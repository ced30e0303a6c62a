package dev.timon.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The cases of upstream's sync_test.go TestScale that share replicas among several active ReplicaSets. */
class ProportionalScalingTest {

    /**
     * ReplicaSets are listed oldest first as their sizes; each was last sized for a Deployment of {@code before}
     * replicas (its max-replicas annotation, maxSurge 0 as in upstream's test), or has no annotation when
     * before is 0, so the Deployment's status.replicas stands in.
     */
    @ParameterizedTest(name = "{0}: [{1}] for {2} -> {3}, maxSurge {4} -> [{5}]")
    @CsvSource(delimiter = '|', value = {
            "proportional up                | 3 2       | 5  | 10 | 0 | 6 4",
            "proportional down              | 3 2       | 5  | 3  | 0 | 2 1",
            "down from a large new one      | 1 8       | 9  | 4  | 0 | 0 4",
            "three sets up                  | 3 2 2     | 7  | 10 | 0 | 4 3 3",
            "three sets down                | 8 3 2     | 13 | 8  | 0 | 5 2 1",
            "leftover to the newest on a tie | 1 1 1    | 3  | 4  | 0 | 1 1 2",
            "leftover from the oldest on a tie | 1 1 1  | 3  | 2  | 0 | 0 1 1",
            "to zero                        | 3 2       | 5  | 0  | 0 | 0 0",
            "with surge, mid-rollout        | 4 2       | 6  | 8  | 2 | 7 3",
            "no annotation: status replicas | 6 4       | 0  | 5  | 0 | 3 2",
    })
    void sharesTheChange(String description, String sizes, int before, int replicas, int maxSurge, String expected) {
        List<ReplicaSet> active = new ArrayList<>();
        int[] current = ints(sizes);
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < current.length; i++) {
            active.add(new ReplicaSetBuilder()
                    .withNewMetadata().withName("rs" + i).withCreationTimestamp(created.plusSeconds(i).toString())
                    .withAnnotations(before == 0 ? Map.of() : Map.of(DeploymentController.MAX_REPLICAS, Integer.toString(before)))
                    .endMetadata()
                    .withNewSpec().withReplicas(current[i]).endSpec()
                    .build());
        }
        int statusReplicas = Arrays.stream(current).sum();
        Map<String, Integer> result = ProportionalScaling.sizes(active, replicas, maxSurge, statusReplicas);
        int[] after = new int[current.length];
        for (int i = 0; i < current.length; i++) {
            after[i] = result.get("rs" + i);
        }
        assertEquals(Arrays.toString(ints(expected)), Arrays.toString(after));
    }

    private static int[] ints(String spaced) {
        return Arrays.stream(spaced.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
    }
}
