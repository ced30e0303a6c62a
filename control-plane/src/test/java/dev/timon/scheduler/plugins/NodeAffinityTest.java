package dev.timon.scheduler.plugins;

import dev.timon.scheduler.NodeInfo;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.timon.scheduler.plugins.Fixtures.info;
import static dev.timon.scheduler.plugins.Fixtures.pod;
import static dev.timon.scheduler.plugins.Fixtures.podInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Named.named;

/** The node in every case has labels zone=a, disk=ssd, cores=8 (plus its hostname). */
class NodeAffinityTest {

    private static final Map<String, String> LABELS = Map.of("zone", "a", "disk", "ssd", "cores", "8");

    static Stream<Arguments> cases() {
        return Stream.of(
                fits("nodeSelector matching", selector(Map.of("zone", "a")), true),
                fits("nodeSelector with a different value", selector(Map.of("zone", "b")), false),
                fits("nodeSelector with a missing label", selector(Map.of("gpu", "yes")), false),
                fits("In a listed value", required(req("zone", "In", "a", "b")), true),
                fits("In no listed value", required(req("zone", "In", "b", "c")), false),
                fits("NotIn other values", required(req("zone", "NotIn", "b")), true),
                fits("NotIn the node's value", required(req("zone", "NotIn", "a")), false),
                fits("Exists present", required(req("disk", "Exists")), true),
                fits("Exists absent", required(req("gpu", "Exists")), false),
                fits("DoesNotExist absent", required(req("gpu", "DoesNotExist")), true),
                fits("DoesNotExist present", required(req("disk", "DoesNotExist")), false),
                fits("Gt below the value", required(req("cores", "Gt", "4")), true),
                fits("Gt at the value", required(req("cores", "Gt", "8")), false),
                fits("Lt above the value", required(req("cores", "Lt", "16")), true),
                fits("Lt below the value", required(req("cores", "Lt", "2")), false),
                fits("expressions of one term are ANDed", required(req("zone", "In", "a"), req("disk", "In", "hdd")), false),
                fits("terms are ORed", pod("p").editSpec().withNewAffinity().withNewNodeAffinity()
                        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                        .addNewNodeSelectorTerm().withMatchExpressions(req("zone", "In", "b")).endNodeSelectorTerm()
                        .addNewNodeSelectorTerm().withMatchExpressions(req("disk", "In", "ssd")).endNodeSelectorTerm()
                        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec(), true));
    }

    private static Arguments fits(String name, PodBuilder pod, boolean fits) {
        return Arguments.of(named(name, pod.build()), fits);
    }

    private static PodBuilder selector(Map<String, String> selector) {
        return pod("p").editSpec().withNodeSelector(selector).endSpec();
    }

    private static PodBuilder required(NodeSelectorRequirement... expressions) {
        return pod("p").editSpec().withNewAffinity().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().withMatchExpressions(expressions).endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec();
    }

    private static NodeSelectorRequirement req(String key, String operator, String... values) {
        return new NodeSelectorRequirement(key, operator, List.of(values));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void filter(Pod pod, boolean fits) {
        List<String> expected = fits ? List.of() : List.of("node(s) didn't match Pod's node affinity/selector");
        assertEquals(expected, new NodeAffinity().filter(podInfo(pod), info(n -> n.editMetadata().addToLabels(LABELS).endMetadata())));
    }

    @Test
    void aNodeRelabelledAfterACheckIsCheckedAnew() {
        NodeAffinity plugin = new NodeAffinity();
        NodeInfo node = info(n -> n.editMetadata().addToLabels(LABELS).endMetadata());
        // Two pods with equal selectors: the second is answered from the node's memory of the first.
        assertEquals(List.of(), plugin.filter(podInfo(selector(Map.of("zone", "a")).build()), node));
        assertEquals(List.of(), plugin.filter(podInfo(selector(Map.of("zone", "a")).build()), node));
        node.setNode(Fixtures.node("n1").editMetadata().addToLabels("zone", "b").endMetadata().build());
        assertEquals(List.of(NodeAffinity.REASON), plugin.filter(podInfo(selector(Map.of("zone", "a")).build()), node));
        assertEquals(List.of(), plugin.filter(podInfo(selector(Map.of("zone", "b")).build()), node));
    }

    @Test
    void preferredTermsScoreTheMatchedShareOfWeight() {
        Pod pod = pod("p").editSpec().withNewAffinity().withNewNodeAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(30)
                .withNewPreference().withMatchExpressions(req("zone", "In", "a")).endPreference().endPreferredDuringSchedulingIgnoredDuringExecution()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(70)
                .withNewPreference().withMatchExpressions(req("disk", "In", "hdd")).endPreference().endPreferredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity().endAffinity().endSpec().build();
        NodeAffinity plugin = new NodeAffinity();
        assertEquals(30, plugin.score(podInfo(pod), info(n -> n.editMetadata().addToLabels(LABELS).endMetadata())));
        assertEquals(0, plugin.score(podInfo(pod), info(n -> n)));
        assertEquals(0, plugin.score(podInfo(pod("plain").build()), info(n -> n)), "no preference, no score");
    }
}
