package dev.timon.proxy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Times one full sync (plan + render + `nft -f`) for S services with E endpoints each, as the proxy does it, five
 * times (the first creates the table, the rest replace it). Prints figures; run it through bench/proxy.sh, which
 * uses a private network namespace so the host's rules are untouched.
 */
public final class ProxySyncBench {

    private ProxySyncBench() {
    }

    public static void main(String[] args) throws Exception {
        int serviceCount = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int endpointsPerService = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        String table = "timon-proxy-bench";
        List<Service> services = new ArrayList<>();
        List<EndpointSlice> slices = new ArrayList<>();
        for (int s = 0; s < serviceCount; s++) {
            String name = "svc-" + s;
            services.add(new ServiceBuilder().withNewMetadata().withNamespace("bench").withName(name).endMetadata()
                    .withNewSpec().withClusterIP("10.96." + (s / 250) + "." + (s % 250 + 2)).withType("NodePort")
                    .addNewPort().withName("http").withPort(80).withProtocol("TCP").withTargetPort(new IntOrString("http"))
                    .withNodePort(30000 + s).endPort().endSpec().build());
            EndpointSliceBuilder slice = new EndpointSliceBuilder().withNewMetadata().withNamespace("bench").withName(name + "-x")
                    .withLabels(Map.of("kubernetes.io/service-name", name)).endMetadata().withAddressType("IPv4")
                    .withPorts(new EndpointPort(null, "http", 8080, "TCP"));
            for (int e = 0; e < endpointsPerService; e++) {
                int host = s * endpointsPerService + e;
                slice.addToEndpoints(new EndpointBuilder().withAddresses("10.244." + (host / 250) + "." + (host % 250 + 2))
                        .withNodeName("node-" + (e % 3)).withNewConditions().withReady(true).endConditions().build());
            }
            slices.add(slice.build());
        }
        System.out.printf("proxy sync benchmark: %d services x %d endpoints (NodePort each)%n", serviceCount, endpointsPerService);
        try {
            for (int run = 1; run <= 5; run++) {
                long start = System.nanoTime();
                List<ServicePortPlan> plans = ServicePlanner.planAll(services, slices, "node-0");
                String script = NftRuleset.render(table, ProxyConfig.DEFAULT_SERVICE_CIDR, null,
                        ProxyConfig.DEFAULT_NAT_PRIORITY, plans);
                long rendered = System.nanoTime();
                Nft.apply(script);
                long applied = System.nanoTime();
                System.out.printf("run %d: plan+render %d ms (%d KiB of rules), nft -f %d ms, total %d ms%n", run,
                        (rendered - start) / 1_000_000, script.length() / 1024, (applied - rendered) / 1_000_000,
                        (applied - start) / 1_000_000);
            }
        } finally {
            Nft.apply(NftRuleset.removal(table));
        }
    }
}
