package dev.timon.registry.printers;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.timon.registry.printers.Cells.ago;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SimpleColumnsTest {

    @Test
    void namespace() {
        var ns = new NamespaceBuilder().withNewMetadata().withName("default").withCreationTimestamp(ago(7200))
                .endMetadata().withNewStatus().withPhase("Active").endStatus().build();
        assertEquals(List.of("default", "Active", "120m"),
                NamespaceColumns.columns(Cells.CLOCK).stream().map(c -> c.cell().apply(ns)).toList());
    }

    @Test
    void configMapCountsTextAndBinaryKeys() {
        var cm = new ConfigMapBuilder().withNewMetadata().withName("cfg").endMetadata()
                .addToData("a", "1").addToData("b", "2").addToBinaryData("c", "AA==").build();
        assertEquals(3L, Cells.cell(ConfigMapColumns.columns(Cells.CLOCK), "Data", cm));
    }

    @Test
    void secret() {
        var s = new SecretBuilder().withNewMetadata().withName("tls").endMetadata().withType("kubernetes.io/tls")
                .addToData("tls.crt", "AA==").addToData("tls.key", "AA==").build();
        assertEquals(List.of("tls", "kubernetes.io/tls", 2L, "<unknown>"),
                SecretColumns.columns(Cells.CLOCK).stream().map(c -> c.cell().apply(s)).toList());
    }

    @Test
    void serviceAccountCountsSecrets() {
        var sa = new ServiceAccountBuilder().withNewMetadata().withName("default").endMetadata().build();
        assertEquals(0L, Cells.cell(ServiceAccountColumns.columns(Cells.CLOCK), "Secrets", sa));
    }

    @Test
    void leaseHolder() {
        var lease = new LeaseBuilder().withNewMetadata().withName("kube-scheduler").endMetadata()
                .withNewSpec().withHolderIdentity("sched-1_abc").endSpec().build();
        assertEquals("sched-1_abc", Cells.cell(LeaseColumns.columns(Cells.CLOCK), "Holder", lease));
    }

    @Test
    void controllerRevisionNamesItsControllerWithGroup() {
        var revision = new io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder().withNewMetadata()
                .withName("agent-5d8f7c9b4").withCreationTimestamp(ago(300))
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("DaemonSet").withName("agent").withUid("u1")
                .withController(true).endOwnerReference()
                .endMetadata().withRevision(3L).build();
        assertEquals(List.of("agent-5d8f7c9b4", "daemonset.apps/agent", 3L, "5m"),
                ControllerRevisionColumns.columns(Cells.CLOCK).stream().map(c -> c.cell().apply(revision)).toList());
        revision.getMetadata().setOwnerReferences(null);
        assertEquals("<none>", Cells.cell(ControllerRevisionColumns.columns(Cells.CLOCK), "Controller", revision));
    }

    @Test
    void malformedSelectorPrintsError() {
        var selector = new io.fabric8.kubernetes.api.model.LabelSelectorBuilder().addNewMatchExpression()
                .withKey("tier").withOperator("In").endMatchExpression().build();
        assertEquals("<error>", LabelSelectors.format(selector));
        assertEquals("<invalid>", LabelSelectors.plain(selector));
    }
}
