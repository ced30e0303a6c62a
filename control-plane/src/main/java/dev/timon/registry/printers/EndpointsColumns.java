package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** core/v1 endpoints: Name, Endpoints, Age. */
public final class EndpointsColumns {

    private EndpointsColumns() {
    }

    public static List<TableColumn<Endpoints>> columns() {
        return columns(Clock.systemUTC());
    }

    public static List<TableColumn<Endpoints>> columns(Clock clock) {
        return List.of(
                CommonColumns.name(),
                TableColumn.of("Endpoints", "string", "Ready addresses with their ports, the first few of them.",
                        EndpointsColumns::endpoints),
                CommonColumns.age(clock));
    }

    private static String endpoints(Endpoints e) {
        List<EndpointSubset> subsets = CommonColumns.list(e.getSubsets());
        if (subsets.isEmpty()) {
            return CommonColumns.NONE;
        }
        List<String> items = new ArrayList<>();
        for (EndpointSubset subset : subsets) {
            List<EndpointAddress> addresses = CommonColumns.list(subset.getAddresses());
            List<EndpointPort> ports = CommonColumns.list(subset.getPorts());
            if (ports.isEmpty()) {
                // Headless services may publish addresses without ports.
                addresses.forEach(a -> items.add(CommonColumns.text(a.getIp())));
            }
            for (EndpointPort port : ports) {
                addresses.forEach(a -> items.add(hostPort(CommonColumns.text(a.getIp()), CommonColumns.count(port.getPort()))));
            }
        }
        return CommonColumns.abbreviated(items);
    }

    private static String hostPort(String ip, long port) {
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }
}
