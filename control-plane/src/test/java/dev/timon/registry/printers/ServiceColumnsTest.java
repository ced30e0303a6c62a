package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.timon.registry.printers.Cells.cell;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ServiceColumnsTest {

    private final List<TableColumn<Service>> columns = ServiceColumns.columns(Cells.CLOCK);

    @Test
    void clusterIPService() {
        Service svc = service("ClusterIP").editSpec().addNewPort().withPort(80).withProtocol("TCP").endPort()
                .addToSelector("app", "web").addToSelector("tier", "front").endSpec().build();
        assertEquals(List.of("web", "ClusterIP", "10.96.0.10", "<none>", "80/TCP", "5m", "app=web,tier=front"),
                columns.stream().map(c -> c.cell().apply(svc)).toList());
    }

    @Test
    void nodePortServiceShowsAllocatedNodePorts() {
        Service svc = service("NodePort").editSpec()
                .addNewPort().withPort(80).withNodePort(30080).withProtocol("TCP").endPort()
                .addNewPort().withPort(53).withNodePort(30053).withProtocol("UDP").endPort().endSpec().build();
        assertEquals("80:30080/TCP,53:30053/UDP", cell(columns, "Port(s)", svc));
        assertEquals("<none>", cell(columns, "External-IP", svc));
    }

    @Test
    void loadBalancerWithoutIngressIsPending() {
        assertEquals("<pending>", cell(columns, "External-IP", service("LoadBalancer").build()));
    }

    @Test
    void loadBalancerListsIngressThenExternalIPs() {
        Service svc = service("LoadBalancer").editSpec().withExternalIPs("192.0.2.9").endSpec()
                .withNewStatus().withNewLoadBalancer().addNewIngress().withHostname("lb.example.com").endIngress()
                .addNewIngress().withIp("203.0.113.7").endIngress().endLoadBalancer().endStatus().build();
        assertEquals("203.0.113.7,lb.example.com,192.0.2.9", cell(columns, "External-IP", svc));
    }

    @Test
    void serviceWithoutPortsOrSelector() {
        Service svc = service("ClusterIP").build();
        assertEquals("<none>", cell(columns, "Port(s)", svc));
        assertEquals("<none>", cell(columns, "Selector", svc));
    }

    @Test
    void externalNameServiceShowsTheName() {
        Service svc = new ServiceBuilder().withNewMetadata().withName("ext").endMetadata()
                .withNewSpec().withType("ExternalName").withExternalName("db.example.com").endSpec().build();
        assertEquals("<none>", cell(columns, "Cluster-IP", svc));
        assertEquals("db.example.com", cell(columns, "External-IP", svc));
    }

    private static ServiceBuilder service(String type) {
        return new ServiceBuilder().withNewMetadata().withName("web").withCreationTimestamp(Cells.ago(300))
                .endMetadata().withNewSpec().withType(type).withClusterIP("10.96.0.10").endSpec();
    }
}
