package dev.timon.proxy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NftRulesetTest {

    private static final Backend A = new Backend("10.244.0.5", 8080, "node-a");
    private static final Backend B = new Backend("10.244.0.6", 8081, "node-b");

    private static ServicePortPlan plan(int nodePort, List<Backend> cluster, List<Backend> external, boolean externalLocal,
                                        boolean affinity) {
        return new ServicePortPlan("ns/web/tcp/80", "tcp", "10.96.0.20", 80, nodePort, cluster, external, externalLocal, affinity);
    }

    @Test
    void clusterIpWithTwoBackendsBalancesRandomlyAndMasqueradesHairpins() throws Exception {
        String rules = render(plan(0, List.of(A, B), List.of(A, B), false, false));
        assertTrue(rules.startsWith("add table ip t\ndelete table ip t\ntable ip t {\n"), "replaces the table in one transaction");
        assertTrue(rules.contains("10.96.0.20 . tcp . 80 : goto svc/ns/web/tcp/80"));
        assertTrue(rules.contains("meta l4proto tcp dnat ip addr . port to numgen random mod 2 map { 0 : 10.244.0.5 . 8080, 1 : 10.244.0.6 . 8081 }"));
        assertTrue(rules.contains("10.244.0.5 . 10.244.0.5,\n   10.244.0.6 . 10.244.0.6"));
        assertFalse(rules.contains("ext/"), "no node port, no external chain");
        assertTrue(rules.contains("ip daddr 10.96.0.0/12 jump reject-unknown"));
        assertAcceptedByNft(rules);
    }

    @Test
    void nodePortMarksForMasqueradeAndAnswersOnLocalAddresses() throws Exception {
        String rules = render(plan(30080, List.of(A), List.of(A), false, false));
        assertTrue(rules.contains("tcp . 30080 : goto ext/ns/web/tcp/80"));
        assertTrue(rules.contains(" chain ext/ns/web/tcp/80 {\n  meta mark set meta mark | 0x4000\n"));
        assertTrue(rules.contains("fib daddr type local meta l4proto . th dport vmap @service-nodeports"));
        assertAcceptedByNft(rules);
    }

    @Test
    void externalTrafficPolicyLocalMasqueradesOnlyTheNodesOwnTraffic() throws Exception {
        String rules = render(plan(30080, List.of(A, B), List.of(A), true, false));
        assertTrue(rules.contains(" chain ext/ns/web/tcp/80 {\n  fib saddr type local meta mark set meta mark | 0x4000\n"
                + "  meta l4proto tcp dnat ip addr . port to numgen random mod 1 map { 0 : 10.244.0.5 . 8080 }"));
        assertAcceptedByNft(rules);
    }

    @Test
    void clientIpAffinityHashesTheSourceAddress() throws Exception {
        String rules = render(plan(0, List.of(A, B), List.of(), false, true));
        assertTrue(rules.contains("dnat ip addr . port to jhash ip saddr mod 2 seed 0x7134e0f1 map"));
        assertAcceptedByNft(rules);
    }

    @Test
    void servicesWithoutBackendsAreLeftOutSoTheirTrafficIsRejected() throws Exception {
        String rules = render(plan(30080, List.of(), List.of(), false, false));
        assertFalse(rules.contains("svc/"));
        assertFalse(rules.contains("elements"));
        assertAcceptedByNft(rules);
    }

    @Test
    void nodeIpNarrowsNodePortsToItAndLoopback() {
        String rules = NftRuleset.render("t", "10.96.0.0/12", "192.0.2.2", ProxyConfig.DEFAULT_NAT_PRIORITY, List.of());
        assertTrue(rules.contains("ip daddr { 127.0.0.1, 192.0.2.2 } meta l4proto . th dport vmap @service-nodeports"));
    }

    private static String render(ServicePortPlan plan) {
        return NftRuleset.render("t", "10.96.0.0/12", null, ProxyConfig.DEFAULT_NAT_PRIORITY, List.of(plan));
    }

    /** nft's dry run (-c) parses and validates the script against the kernel without changing anything. */
    private static void assertAcceptedByNft(String rules) throws IOException, InterruptedException {
        Process nft = new ProcessBuilder("nft", "-c", "-f", "-").redirectErrorStream(true).start();
        nft.getOutputStream().write(rules.getBytes(StandardCharsets.UTF_8));
        nft.getOutputStream().close();
        String output = new String(nft.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(nft.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, nft.exitValue(), output + "\n" + rules);
    }
}
