package dev.timon.scheduler.plugins;

import dev.timon.scheduler.NodeInfo;
import dev.timon.scheduler.PodInfo;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.timon.scheduler.plugins.Fixtures.info;
import static dev.timon.scheduler.plugins.Fixtures.pod;
import static dev.timon.scheduler.plugins.Fixtures.podInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Named.named;

class TaintTolerationTest {

    private static final Taint DEDICATED = new Taint("NoSchedule", "dedicated", null, "gpu");
    private static final String UNTOLERATED = "node(s) had untolerated taint {dedicated: gpu}";

    static Stream<Arguments> cases() {
        return Stream.of(
                tolerated("NoSchedule taint, no toleration", DEDICATED, null, UNTOLERATED),
                tolerated("NoExecute taint, no toleration", new Taint("NoExecute", "dedicated", null, "gpu"), null, UNTOLERATED),
                tolerated("PreferNoSchedule does not filter", new Taint("PreferNoSchedule", "dedicated", null, "gpu"), null, null),
                tolerated("Equal with the same value", DEDICATED, new Toleration("NoSchedule", "dedicated", "Equal", null, "gpu"), null),
                tolerated("Equal with another value", DEDICATED, new Toleration("NoSchedule", "dedicated", "Equal", null, "db"), UNTOLERATED),
                tolerated("Exists on the key ignores the value", DEDICATED, new Toleration("NoSchedule", "dedicated", "Exists", null, null), null),
                tolerated("Exists on another key", DEDICATED, new Toleration("NoSchedule", "other", "Exists", null, null), UNTOLERATED),
                tolerated("empty key with Exists tolerates every taint", DEDICATED, new Toleration(null, null, "Exists", null, null), null),
                tolerated("empty effect matches every effect", new Taint("NoExecute", "dedicated", null, "gpu"),
                        new Toleration("", "dedicated", "Equal", null, "gpu"), null),
                tolerated("another effect does not match", DEDICATED, new Toleration("NoExecute", "dedicated", "Equal", null, "gpu"), UNTOLERATED),
                tolerated("taint without value shows an empty one", new Taint("NoSchedule", "maintenance", null, null), null,
                        "node(s) had untolerated taint {maintenance: }"));
    }

    private static Arguments tolerated(String name, Taint taint, Toleration toleration, String reason) {
        Pod pod = toleration == null ? pod("p").build() : pod("p").editSpec().withTolerations(toleration).endSpec().build();
        return Arguments.of(named(name, taint), pod, reason == null ? List.of() : List.of(reason));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void filter(Taint taint, Pod pod, List<String> reasons) {
        assertEquals(reasons, new TaintToleration().filter(podInfo(pod), info(n -> n.editSpec().withTaints(taint).endSpec())));
    }

    @Test
    void aNodeTaintedAfterItWasCachedKeepsUntoleratingPodsOff() {
        NodeInfo node = info(n -> n);
        PodInfo pod = podInfo(pod("p").build());
        assertEquals(List.of(), new TaintToleration().filter(pod, node));

        node.setNode(new NodeBuilder(node.node()).editSpec().withTaints(DEDICATED).endSpec().build());

        assertEquals(List.of(UNTOLERATED), new TaintToleration().filter(pod, node));
    }
}
