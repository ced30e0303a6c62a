package dev.timon.scheduler.plugins;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
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

/** The node already runs a pod holding TCP host port 8080. */
class NodePortsTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(named("same host port and protocol", port(8080, "TCP")), false),
                Arguments.of(named("protocol defaults to TCP", port(8080, null)), false),
                Arguments.of(named("same port over UDP", port(8080, "UDP")), true),
                Arguments.of(named("another host port", port(9090, "TCP")), true),
                Arguments.of(named("container port only", withPort("p", new ContainerPort(8080, null, null, null, "TCP"))), true));
    }

    private static Pod port(int hostPort, String protocol) {
        return withPort("p", new ContainerPort(80, null, hostPort, null, protocol));
    }

    private static Pod withPort(String name, ContainerPort port) {
        return pod(name).editSpec().editFirstContainer().withPorts(port).endContainer().endSpec().build();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void filter(Pod pod, boolean fits) {
        Pod holder = withPort("holder", new ContainerPort(80, null, 8080, null, "TCP"));
        List<String> expected = fits ? List.of() : List.of("node(s) didn't have free ports for the requested pod ports");
        assertEquals(expected, new NodePorts().filter(podInfo(pod), info(n -> n, holder)));
    }
}
