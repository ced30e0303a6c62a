package dev.timon.controllers.statefulset;

import dev.timon.controllers.statefulset.StatefulSetPlan.PodState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StatefulSetPlanTest {

    /**
     * Pods are written one per ordinal, space-separated: revision letter (n = update revision, o = old) then
     * state: H healthy, U unhealthy, T terminating, F failed; "-" is a missing ordinal.
     */
    @ParameterizedTest(name = "{0} replicas={1} parallel={2} partition={3}: [{4}] -> create {5} delete {6}")
    @CsvSource(delimiter = '|', value = {
            "nothing yet creates web-0 only          | 3 | false | 0 | ''             | 0       | ''",
            "web-0 not ready: wait                   | 3 | false | 0 | nU             | ''      | ''",
            "web-0 ready: create web-1               | 3 | false | 0 | nH             | 1       | ''",
            "gap at 1 is filled first                | 3 | false | 0 | nH - nH        | 1       | ''",
            "parallel creates all                    | 3 | true  | 0 | ''             | 0 1 2   | ''",
            "parallel ignores readiness              | 3 | true  | 0 | nU             | 1 2     | ''",
            "scale down from the highest             | 1 | false | 0 | nH nH nH       | ''      | 2",
            "scale down waits for termination        | 1 | false | 0 | nH nH nT       | ''      | ''",
            "scale down waits for health             | 1 | false | 0 | nH nU nH       | ''      | ''",
            "parallel scale down all at once         | 1 | true  | 0 | nH nH nH       | ''      | 2 1",
            "failed pod is replaced                  | 3 | false | 0 | nH nF nH       | ''      | 1",
            "update from the highest ordinal         | 3 | false | 0 | oH oH oH       | ''      | 2",
            "update continues downwards              | 3 | false | 0 | oH oH nH       | ''      | 1",
            "update waits for the replacement        | 3 | false | 0 | oH oH nU       | ''      | ''",
            "partition holds lower ordinals          | 3 | false | 2 | oH oH nH       | ''      | ''",
            "partition 1 updates ordinal 1           | 3 | false | 1 | oH oH nH       | ''      | 1",
            "parallel updates one at a time too      | 3 | true  | 0 | oH oH oH       | ''      | 2",
            "all updated: nothing to do              | 3 | false | 0 | nH nH nH       | ''      | ''",
    })
    void nextStep(String description, int replicas, boolean parallel, int partition, String pods, String create, String delete) {
        Map<Integer, PodState> states = new HashMap<>();
        String[] items = pods.isBlank() ? new String[0] : pods.trim().split("\\s+");
        for (int i = 0; i < items.length; i++) {
            if (!items[i].equals("-")) {
                char state = items[i].charAt(1);
                states.put(i, new PodState(items[i].charAt(0) == 'n' ? "web-new" : "web-old", state == 'H', state == 'T', state == 'F'));
            }
        }
        StatefulSetPlan.Step step = StatefulSetPlan.next(replicas, parallel, partition, "web-new", states);
        assertEquals(ordinals(create), step.create(), description);
        assertEquals(ordinals(delete), step.delete(), description);
    }

    private static List<Integer> ordinals(String text) {
        return text.isBlank() ? List.of() : Arrays.stream(text.trim().split("\\s+")).map(Integer::valueOf).toList();
    }
}
