package dev.timon.controllers.daemonset;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DaemonEligibilityTest {

    private static final DaemonEligibility.Verdict RUN = new DaemonEligibility.Verdict(true, true);
    private static final DaemonEligibility.Verdict STAY_ONLY = new DaemonEligibility.Verdict(false, true);
    private static final DaemonEligibility.Verdict NEITHER = new DaemonEligibility.Verdict(false, false);

    private static Node node(Map<String, String> labels, Taint... taints) {
        return new NodeBuilder().withNewMetadata().withName("n1").withLabels(labels).endMetadata()
                .withNewSpec().withTaints(taints).endSpec().build();
    }

    private static PodSpec daemonSpec(PodSpecBuilder template) {
        return DaemonPods.withDefaultTolerations(template.addNewContainer().withName("c").withImage("i").endContainer().build());
    }

    private static Taint taint(String key, String effect) {
        return new Taint(effect, key, null, null);
    }

    @Test
    void nodeSelectorMustMatchTheNodeLabels() {
        PodSpec spec = daemonSpec(new PodSpecBuilder().withNodeSelector(Map.of("disk", "ssd")));
        assertEquals(RUN, DaemonEligibility.of(node(Map.of("disk", "ssd", "zone", "a")), spec));
        assertEquals(NEITHER, DaemonEligibility.of(node(Map.of("disk", "hdd")), spec));
        assertEquals(NEITHER, DaemonEligibility.of(node(Map.of()), spec));
    }

    @Test
    void requiredNodeAffinityTermsAreOredAndTheirExpressionsAnded() {
        PodSpec spec = daemonSpec(new PodSpecBuilder().withNewAffinity().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm()
                .addNewMatchExpression().withKey("zone").withOperator("In").withValues("a", "b").endMatchExpression()
                .addNewMatchExpression().withKey("gpu").withOperator("DoesNotExist").endMatchExpression()
                .endNodeSelectorTerm()
                .addNewNodeSelectorTerm()
                .addNewMatchField().withKey("metadata.name").withOperator("In").withValues("n1").endMatchField()
                .addNewMatchExpression().withKey("cores").withOperator("Gt").withValues("8").endMatchExpression()
                .endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity());
        assertEquals(RUN, DaemonEligibility.of(node(Map.of("zone", "b")), spec));
        assertEquals(NEITHER, DaemonEligibility.of(node(Map.of("zone", "b", "gpu", "t4")), spec));
        assertEquals(NEITHER, DaemonEligibility.of(node(Map.of("zone", "c")), spec));
        assertEquals(RUN, DaemonEligibility.of(node(Map.of("zone", "c", "cores", "16")), spec), "second term, by name");
        assertEquals(NEITHER, DaemonEligibility.of(node(Map.of("cores", "4")), spec));
    }

    @Test
    void anEmptyNodeSelectorTermMatchesNoNode() {
        PodSpec spec = daemonSpec(new PodSpecBuilder().withNewAffinity().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm().endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity());
        assertEquals(NEITHER, DaemonEligibility.of(node(Map.of("zone", "a")), spec));
    }

    @Test
    void untoleratedNoScheduleKeepsRunningPodsButPlacesNoNewOne() {
        PodSpec spec = daemonSpec(new PodSpecBuilder());
        assertEquals(STAY_ONLY, DaemonEligibility.of(node(Map.of(), taint("dedicated", "NoSchedule")), spec));
        assertEquals(RUN, DaemonEligibility.of(node(Map.of(), taint("dedicated", "PreferNoSchedule")), spec));
    }

    @Test
    void untoleratedNoExecuteEvictsAndATolerationLetsThePodIn() {
        Node tainted = node(Map.of(), taint("dedicated", "NoExecute"));
        assertEquals(NEITHER, DaemonEligibility.of(tainted, daemonSpec(new PodSpecBuilder())));
        PodSpec tolerating = daemonSpec(new PodSpecBuilder().addNewToleration().withKey("dedicated")
                .withOperator("Exists").endToleration());
        assertEquals(RUN, DaemonEligibility.of(tainted, tolerating));
        PodSpec wrongValue = daemonSpec(new PodSpecBuilder().addNewToleration().withKey("dedicated")
                .withOperator("Equal").withValue("other").endToleration());
        assertEquals(NEITHER, DaemonEligibility.of(tainted, wrongValue));
    }

    @Test
    void defaultTolerationsCoverNodeConditionTaintsButNotOthers() {
        PodSpec spec = daemonSpec(new PodSpecBuilder());
        for (String key : new String[]{"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}) {
            assertEquals(RUN, DaemonEligibility.of(node(Map.of(), taint(key, "NoExecute")), spec), key);
        }
        for (String key : new String[]{"node.kubernetes.io/disk-pressure", "node.kubernetes.io/memory-pressure",
                "node.kubernetes.io/pid-pressure"}) {
            assertEquals(RUN, DaemonEligibility.of(node(Map.of(), taint(key, "NoSchedule")), spec), key);
        }
        assertEquals(STAY_ONLY, DaemonEligibility.of(node(Map.of(), taint("node.kubernetes.io/network-unavailable",
                "NoSchedule")), spec), "only hostNetwork daemons tolerate network-unavailable");
        PodSpec hostNetwork = daemonSpec(new PodSpecBuilder().withHostNetwork(true));
        assertEquals(RUN, DaemonEligibility.of(node(Map.of(), taint("node.kubernetes.io/network-unavailable",
                "NoSchedule")), hostNetwork));
    }

    @Test
    void unschedulableNodesStillGetDaemonPods() {
        Node cordoned = new NodeBuilder(node(Map.of(), taint("node.kubernetes.io/unschedulable", "NoSchedule")))
                .editSpec().withUnschedulable(true).endSpec().build();
        assertEquals(RUN, DaemonEligibility.of(cordoned, daemonSpec(new PodSpecBuilder())));
        PodSpec withoutDefaults = new PodSpecBuilder().addNewContainer().withName("c").endContainer().build();
        assertEquals(STAY_ONLY, DaemonEligibility.of(cordoned, withoutDefaults), "the toleration is what lets them in");
    }
}
