package dev.timon.registry.printers;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.timon.registry.printers.Cells.cell;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EndpointColumnsTest {

    @Test
    void endpointsAbbreviateAfterThree() {
        Endpoints ep = new EndpointsBuilder().withNewMetadata().withName("web").endMetadata()
                .addNewSubset().addNewAddress().withIp("10.0.0.1").endAddress().addNewAddress().withIp("10.0.0.2")
                .endAddress().addNewPort().withPort(80).endPort().addNewPort().withPort(443).endPort().endSubset()
                .addNewSubset().addNewAddress().withIp("fd00::1").endAddress().endSubset()
                .build();
        assertEquals("10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...",
                cell(EndpointsColumns.columns(Cells.CLOCK), "Endpoints", ep));
    }

    @Test
    void endpointsWithoutSubsetsAreNone() {
        Endpoints ep = new EndpointsBuilder().withNewMetadata().withName("web").endMetadata().build();
        assertEquals("<none>", cell(EndpointsColumns.columns(Cells.CLOCK), "Endpoints", ep));
    }

    @Test
    void ipv6EndpointIsBracketed() {
        Endpoints ep = new EndpointsBuilder().withNewMetadata().withName("web").endMetadata()
                .addNewSubset().addNewAddress().withIp("fd00::1").endAddress().addNewPort().withPort(80).endPort()
                .endSubset().build();
        assertEquals("[fd00::1]:80", cell(EndpointsColumns.columns(Cells.CLOCK), "Endpoints", ep));
    }

    @Test
    void endpointSliceCells() {
        EndpointSlice slice = new EndpointSliceBuilder().withNewMetadata().withName("web-abc").endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withPort(80).endPort().addNewPort().withName("metrics").endPort()
                .addNewEndpoint().withAddresses("10.0.0.1").endEndpoint()
                .build();
        assertEquals(List.of("web-abc", "IPv4", "80,metrics", "10.0.0.1", "<unknown>"),
                EndpointSliceColumns.columns(Cells.CLOCK).stream().map(c -> c.cell().apply(slice)).toList());
    }

    @Test
    void emptyEndpointSliceIsUnset() {
        EndpointSlice slice = new EndpointSliceBuilder().withNewMetadata().withName("s").endMetadata()
                .withAddressType("IPv4").build();
        assertEquals("<unset>", cell(EndpointSliceColumns.columns(Cells.CLOCK), "Ports", slice));
        assertEquals("<unset>", cell(EndpointSliceColumns.columns(Cells.CLOCK), "Endpoints", slice));
    }
}
