package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * core/v1 nodes: Name, Status, Roles, Age, Version, then Internal-IP, External-IP, OS-Image, Kernel-Version,
 * Container-Runtime (wide).
 */
public final class NodeColumns {

    private static final String ROLE_LABEL_PREFIX = "node-role.kubernetes.io/";
    private static final String LEGACY_ROLE_LABEL = "kubernetes.io/role";

    private NodeColumns() {
    }

    public static List<TableColumn<Node>> columns() {
        return columns(Clock.systemUTC());
    }

    public static List<TableColumn<Node>> columns(Clock clock) {
        return List.of(
                CommonColumns.name(),
                TableColumn.of("Status", "string", "Readiness of the node and whether it takes new pods.",
                        NodeColumns::status),
                TableColumn.of("Roles", "string", "Roles named by the node's role labels.", NodeColumns::roles),
                CommonColumns.age(clock),
                TableColumn.of("Version", "string", "Kubelet version the node reports.",
                        n -> CommonColumns.text(info(n).getKubeletVersion())),
                TableColumn.wide("Internal-IP", "string", "First internal address of the node.",
                        n -> address(n, "InternalIP")),
                TableColumn.wide("External-IP", "string", "First external address of the node.",
                        n -> address(n, "ExternalIP")),
                infoColumn("OS-Image", "Operating system image the node reports.", NodeSystemInfo::getOsImage),
                infoColumn("Kernel-Version", "Kernel version the node reports.", NodeSystemInfo::getKernelVersion),
                infoColumn("Container-Runtime", "Container runtime and version the node reports.",
                        NodeSystemInfo::getContainerRuntimeVersion));
    }

    // Only the Ready condition shows; a node that never reported one is "Unknown".
    private static String status(Node n) {
        String ready = CommonColumns.list(nodeStatus(n).getConditions()).stream()
                .filter(c -> "Ready".equals(c.getType()))
                .reduce((first, later) -> later) // a repeated type counts once, the last one wins
                .map(c -> "True".equals(c.getStatus()) ? "Ready" : "NotReady")
                .orElse("Unknown");
        boolean cordoned = n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
        return cordoned ? ready + ",SchedulingDisabled" : ready;
    }

    private static String roles(Node n) {
        Map<String, String> labels = CommonColumns.meta(n).getLabels();
        TreeSet<String> roles = new TreeSet<>();
        if (labels != null) {
            labels.forEach((key, value) -> {
                if (key.startsWith(ROLE_LABEL_PREFIX) && key.length() > ROLE_LABEL_PREFIX.length()) {
                    roles.add(key.substring(ROLE_LABEL_PREFIX.length()));
                } else if (key.equals(LEGACY_ROLE_LABEL) && value != null && !value.isEmpty()) {
                    roles.add(value);
                }
            });
        }
        return roles.isEmpty() ? CommonColumns.NONE : String.join(",", roles);
    }

    private static String address(Node n, String type) {
        return CommonColumns.list(nodeStatus(n).getAddresses()).stream()
                .filter(a -> type.equals(a.getType()))
                .map(NodeAddress::getAddress)
                .findFirst().orElse(CommonColumns.NONE);
    }

    private static TableColumn<Node> infoColumn(String name, String description,
                                                Function<NodeSystemInfo, String> field) {
        return TableColumn.wide(name, "string", description, n -> {
            String value = field.apply(info(n));
            return value == null || value.isEmpty() ? CommonColumns.UNKNOWN : value;
        });
    }

    private static NodeStatus nodeStatus(Node n) {
        return n.getStatus() == null ? new NodeStatus() : n.getStatus();
    }

    private static NodeSystemInfo info(Node n) {
        NodeSystemInfo info = nodeStatus(n).getNodeInfo();
        return info == null ? new NodeSystemInfo() : info;
    }
}
