package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.time.Clock;
import java.util.List;

/** discovery.k8s.io/v1 endpointslices: Name, AddressType, Ports, Endpoints, Age. */
public final class EndpointSliceColumns {

    private EndpointSliceColumns() {
    }

    public static List<TableColumn<EndpointSlice>> columns() {
        return columns(Clock.systemUTC());
    }

    public static List<TableColumn<EndpointSlice>> columns(Clock clock) {
        return List.of(
                CommonColumns.name(),
                TableColumn.of("AddressType", "string", "Kind of address the slice carries (IPv4, IPv6, FQDN).",
                        s -> CommonColumns.text(s.getAddressType())),
                TableColumn.of("Ports", "string", "Port numbers the slice exposes, the first few of them.",
                        s -> orUnset(CommonColumns.list(s.getPorts()).stream().map(EndpointSliceColumns::port).toList())),
                TableColumn.of("Endpoints", "string", "Endpoint addresses in the slice, the first few of them.",
                        s -> orUnset(CommonColumns.list(s.getEndpoints()).stream()
                                .flatMap(e -> CommonColumns.list(e.getAddresses()).stream()).toList())),
                CommonColumns.age(clock));
    }

    // A port without a number applies to all ports; upstream shows its name, or "*" when it has none.
    private static String port(EndpointPort p) {
        if (p.getPort() != null) {
            return p.getPort().toString();
        }
        return p.getName() != null ? p.getName() : "*";
    }

    private static String orUnset(List<String> items) {
        return items.isEmpty() ? "<unset>" : CommonColumns.abbreviated(items);
    }
}
