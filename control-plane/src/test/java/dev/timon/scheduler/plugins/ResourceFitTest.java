package dev.timon.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.timon.scheduler.plugins.Fixtures.info;
import static dev.timon.scheduler.plugins.Fixtures.node;
import static dev.timon.scheduler.plugins.Fixtures.pod;
import static dev.timon.scheduler.plugins.Fixtures.podInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Named.named;

/** Requests against allocatable minus what the node's pods already request (node: 4 cpu, 8Gi, 110 pods). */
class ResourceFitTest {

    private static final Node NODE = node("n1").build();
    private static final Node GPU_NODE = node("n1").editStatus().addToAllocatable("example.com/gpu", new Quantity("2"))
            .endStatus().build();
    private static final Node TWO_PODS_NODE = node("n1").editStatus().addToAllocatable("pods", new Quantity("2"))
            .endStatus().build();

    static Stream<Arguments> cases() {
        return Stream.of(
                fit("pod asking for nothing fits", NODE, pod("p").build(), List.of()),
                fit("cpu within allocatable fits", NODE, pod("p", "cpu", "4").build(), List.of()),
                fit("cpu over allocatable", NODE, pod("p", "cpu", "4001m").build(), List.of("Insufficient cpu")),
                fit("cpu already requested by bound pods", NODE, pod("p", "cpu", "1").build(), List.of("Insufficient cpu"),
                        pod("a", "cpu", "3500m").build()),
                fit("memory over allocatable", NODE, pod("p", "memory", "9Gi").build(), List.of("Insufficient memory")),
                fit("cpu and memory both short", NODE, pod("p", "cpu", "5", "memory", "9Gi").build(),
                        List.of("Insufficient cpu", "Insufficient memory")),
                fit("pod count at allocatable", TWO_PODS_NODE, pod("p").build(), List.of("Too many pods"),
                        pod("a").build(), pod("b").build()),
                fit("extended resource the node lacks", NODE, pod("p", "example.com/gpu", "1").build(),
                        List.of("Insufficient example.com/gpu")),
                fit("extended resource within allocatable", GPU_NODE, pod("p", "example.com/gpu", "2").build(), List.of()),
                fit("extended resource taken by bound pods", GPU_NODE, pod("p", "example.com/gpu", "1").build(),
                        List.of("Insufficient example.com/gpu"), pod("a", "example.com/gpu", "2").build()));
    }

    private static Arguments fit(String name, Node node, Pod pod, List<String> reasons, Pod... bound) {
        return Arguments.of(named(name, node), pod, reasons, bound);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void filter(Node node, Pod pod, List<String> reasons, Pod[] bound) {
        List<String> actual = new ResourceFit().filter(podInfo(pod), info(node, bound));
        assertEquals(reasons.stream().sorted().toList(), actual.stream().sorted().toList());
    }
}
