package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.timon.registry.printers.Cells.cell;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NodeColumnsTest {

    private final List<TableColumn<Node>> columns = NodeColumns.columns(Cells.CLOCK);

    @Test
    void cordonedControlPlaneNode() {
        Node node = new NodeBuilder()
                .withNewMetadata().withName("node1").withCreationTimestamp(Cells.ago(3 * 86400))
                .addToLabels("node-role.kubernetes.io/control-plane", "")
                .addToLabels("kubernetes.io/role", "master").endMetadata()
                .withNewSpec().withUnschedulable(true).endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewAddress().withType("InternalIP").withAddress("172.18.0.2").endAddress()
                .withNewNodeInfo().withKubeletVersion("v1.32.0").withOsImage("Debian 12").endNodeInfo()
                .endStatus().build();
        assertEquals(List.of("node1", "Ready,SchedulingDisabled", "control-plane,master", "3d", "v1.32.0",
                        "172.18.0.2", "<none>", "Debian 12", "<unknown>", "<unknown>"),
                columns.stream().map(c -> c.cell().apply(node)).toList());
    }

    @Test
    void nodeWithoutReadyConditionIsUnknownAndHasNoRoles() {
        Node node = new NodeBuilder().withNewMetadata().withName("n").endMetadata().build();
        assertEquals("Unknown", cell(columns, "Status", node));
        assertEquals("<none>", cell(columns, "Roles", node));
    }

    @Test
    void notReadyNode() {
        Node node = new NodeBuilder().withNewMetadata().withName("n").endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("Unknown").endCondition().endStatus()
                .build();
        assertEquals("NotReady", cell(columns, "Status", node));
    }
}
