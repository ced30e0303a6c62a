package dev.timon.scheduler.plugins;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
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

class PodAntiAffinityTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                placed("repels a pod with the label on the node", repelling("web", "kubernetes.io/hostname").build(),
                        labelled("a", "web", "default"), false),
                placed("the pod on the node repels the newcomer", labelled("p", "web", "default"),
                        repelling("web", "kubernetes.io/hostname").withNewMetadata().withName("a").withNamespace("default")
                                .withUid("uid-a").endMetadata().build(), false),
                placed("other labels on the node", repelling("web", "kubernetes.io/hostname").build(),
                        labelled("a", "db", "default"), true),
                placed("same label in another namespace", repelling("web", "kubernetes.io/hostname").build(),
                        labelled("a", "web", "other"), true),
                placed("a topology other than hostname is not enforced", repelling("web", "topology.kubernetes.io/zone").build(),
                        labelled("a", "web", "default"), true));
    }

    private static Arguments placed(String name, Pod pod, Pod onNode, boolean fits) {
        return Arguments.of(named(name, pod), onNode, fits);
    }

    private static Pod labelled(String name, String app, String namespace) {
        return pod(name).editMetadata().addToLabels("app", app).withNamespace(namespace).endMetadata().build();
    }

    private static PodBuilder repelling(String app, String topologyKey) {
        return pod("p").editMetadata().addToLabels("app", "web").endMetadata()
                .editSpec().withNewAffinity().withNewPodAntiAffinity()
                .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app", app).build())
                .withTopologyKey(topologyKey)
                .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().endAffinity().endSpec();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void filter(Pod pod, Pod onNode, boolean fits) {
        List<String> expected = fits ? List.of() : List.of("node(s) didn't match pod anti-affinity rules");
        assertEquals(expected, new PodAntiAffinity().filter(podInfo(pod), info(n -> n, onNode)));
    }
}
