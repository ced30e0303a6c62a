package dev.timon.kubelet.pods;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class PodUpdatesTest {
    private static Pod pod() {
        return new PodBuilder().withNewMetadata().withName("p").withUid("u").withResourceVersion("1").endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("busybox:1.36").endContainer().endSpec()
                .withNewStatus().withPhase("Pending").endStatus().build();
    }

    @Test
    void aNewPodNeedsASync() {
        assertTrue(PodUpdates.needsSync(null, pod()));
    }

    @Test
    void theAgentsOwnStatusWriteComingBackDoesNot() {
        var echoed = new PodBuilder(pod()).editMetadata().withResourceVersion("2")
                .withManagedFields(new ManagedFieldsEntryBuilder().withManager("timon-node").build()).endMetadata()
                .editStatus().withPhase("Running").endStatus().build();
        assertFalse(PodUpdates.needsSync(pod(), echoed));
    }

    @Test
    void deletionAndSpecOrLabelChangesDo() {
        assertTrue(PodUpdates.needsSync(pod(), new PodBuilder(pod()).editMetadata()
                .withDeletionTimestamp("2024-01-01T00:00:00Z").endMetadata().build()));
        assertTrue(PodUpdates.needsSync(pod(), new PodBuilder(pod()).editMetadata().addToLabels("a", "b").endMetadata().build()));
        assertTrue(PodUpdates.needsSync(pod(), new PodBuilder(pod()).editSpec().editContainer(0).withImage("busybox:1.35")
                .endContainer().endSpec().build()));
    }
}
