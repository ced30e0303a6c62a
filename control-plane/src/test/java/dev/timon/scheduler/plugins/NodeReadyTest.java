package dev.timon.scheduler.plugins;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static dev.timon.scheduler.plugins.Fixtures.info;
import static dev.timon.scheduler.plugins.Fixtures.pod;
import static dev.timon.scheduler.plugins.Fixtures.podInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Named.named;

class NodeReadyTest {

    private static final Pod PLAIN = pod("p").build();
    private static final Pod TOLERATES_CORDON = pod("p").editSpec().addNewToleration()
            .withKey("node.kubernetes.io/unschedulable").withOperator("Exists").withEffect("NoSchedule")
            .endToleration().endSpec().build();

    static Stream<Arguments> cases() {
        return Stream.of(
                ready("Ready node", n -> n, PLAIN, List.of()),
                ready("Ready=False", n -> n.editStatus().editFirstCondition().withStatus("False").endCondition().endStatus(),
                        PLAIN, List.of("node(s) were not ready")),
                ready("Ready=Unknown", n -> n.editStatus().editFirstCondition().withStatus("Unknown").endCondition().endStatus(),
                        PLAIN, List.of("node(s) were not ready")),
                ready("no conditions yet", n -> n.editStatus().withConditions().endStatus(), PLAIN,
                        List.of("node(s) were not ready")),
                ready("cordoned", n -> n.editSpec().withUnschedulable(true).endSpec(), PLAIN,
                        List.of("node(s) were unschedulable")),
                ready("cordoned, pod tolerates unschedulable", n -> n.editSpec().withUnschedulable(true).endSpec(),
                        TOLERATES_CORDON, List.of()));
    }

    private static Arguments ready(String name, UnaryOperator<NodeBuilder> node, Pod pod, List<String> reasons) {
        return Arguments.of(named(name, node), pod, reasons);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void filter(UnaryOperator<NodeBuilder> node, Pod pod, List<String> reasons) {
        assertEquals(reasons, new NodeReady().filter(podInfo(pod), info(node)));
    }
}
