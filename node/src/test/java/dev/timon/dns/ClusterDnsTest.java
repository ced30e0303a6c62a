package dev.timon.dns;

import dev.timon.controlplane.TestControlPlane;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.timon.proxy.Fixtures.endpoint;
import static dev.timon.proxy.Fixtures.port;
import static dev.timon.proxy.Fixtures.service;
import static dev.timon.proxy.Fixtures.slice;
import static dev.timon.proxy.Fixtures.slicePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster DNS against a real API server, queried with dnsjava's resolver over UDP and TCP on loopback. */
class ClusterDnsTest {

    private static final String NS = "dns-test";
    private static final String ZONE = NS + ".svc.cluster.local.";

    private static KubernetesClient client;
    private static ClusterDns dns;
    private static FixedUpstream upstream;
    private static String webIp;

    @BeforeAll
    static void start() throws Exception {
        client = TestControlPlane.get().newClient();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).serverSideApply();
        Service web = client.resource(service(NS, "web", null, port("http", 80, "8080"))).create();
        webIp = web.getSpec().getClusterIP();
        client.resource(service(NS, "db", "None", port("pg", 5432, "5432"))).create();
        EndpointSlice dbSlice = slice(NS, "db", List.of(slicePort("pg", 5432)),
                endpoint("10.201.9.10", "node-a", true), endpoint("10.201.9.11", "node-a", true),
                endpoint("10.201.9.12", "node-a", false));
        dbSlice.getEndpoints().get(0).setHostname("db-0");
        dbSlice.getEndpoints().get(1).setHostname("db-1");
        client.resource(dbSlice).create();
        upstream = new FixedUpstream();
        dns = ClusterDns.start(client, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstream.port())));
    }

    @AfterAll
    static void stop() throws Exception {
        if (dns != null) {
            dns.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (client != null) {
            client.namespaces().withName(NS).delete();
            client.close();
        }
    }

    @Test
    void serviceNameResolvesToItsClusterIpAndHasNoIpv6Address() throws Exception {
        Message a = query("web." + ZONE, Type.A, false);
        assertEquals(Rcode.NOERROR, a.getRcode());
        assertTrue(a.getHeader().getFlag(Flags.AA));
        assertEquals(Set.of(webIp), addresses(a));
        Message aaaa = query("web." + ZONE, Type.AAAA, false);
        assertEquals(Rcode.NOERROR, aaaa.getRcode());
        assertTrue(aaaa.getSection(Section.ANSWER).isEmpty());
    }

    @Test
    void headlessServiceResolvesToItsReadyEndpointsOverUdpAndTcp() throws Exception {
        assertEquals(Set.of("10.201.9.10", "10.201.9.11"), addresses(query("db." + ZONE, Type.A, false)));
        assertEquals(Set.of("10.201.9.10", "10.201.9.11"), addresses(query("db." + ZONE, Type.A, true)));
    }

    @Test
    void statefulSetStyleHostnamesResolve() throws Exception {
        assertEquals(Set.of("10.201.9.11"), addresses(query("db-1.db." + ZONE, Type.A, false)));
        assertEquals(Rcode.NXDOMAIN, query("db-7.db." + ZONE, Type.A, false).getRcode());
    }

    @Test
    void srvRecordsForNamedPorts() throws Exception {
        List<SRVRecord> web = srv(query("_http._tcp.web." + ZONE, Type.SRV, false));
        assertEquals(1, web.size());
        assertEquals(80, web.get(0).getPort());
        assertEquals(Name.fromString("web." + ZONE), web.get(0).getTarget());
        Set<String> db = srv(query("_pg._tcp.db." + ZONE, Type.SRV, false)).stream()
                .map(r -> r.getTarget() + ":" + r.getPort()).collect(Collectors.toSet());
        assertEquals(Set.of("db-0.db." + ZONE + ":5432", "db-1.db." + ZONE + ":5432"), db);
        assertEquals(Rcode.NXDOMAIN, query("_nope._tcp.web." + ZONE, Type.SRV, false).getRcode());
    }

    @Test
    void reverseLookupsNameServicesAndEndpoints() throws Exception {
        assertEquals("web." + ZONE, ptr(webIp));
        assertEquals("db-0.db." + ZONE, ptr("10.201.9.10"));
    }

    @Test
    void unknownClusterNamesAreNxdomainWithTheZonesSoa() throws Exception {
        Message response = query("nope." + ZONE, Type.A, false);
        assertEquals(Rcode.NXDOMAIN, response.getRcode());
        assertEquals(Type.SOA, response.getSection(Section.AUTHORITY).get(0).getType());
        assertEquals(Rcode.NXDOMAIN, query("web.other-ns.svc.cluster.local.", Type.A, false).getRcode());
    }

    @Test
    void otherNamesAreForwardedUpstream() throws Exception {
        Message response = query("example.test.", Type.A, false);
        assertEquals(Rcode.NOERROR, response.getRcode());
        assertEquals(Set.of(FixedUpstream.ANSWER), addresses(response));
    }

    private static Message query(String name, int type, boolean tcp) throws Exception {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), dns.port()));
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    private static Set<String> addresses(Message response) {
        return response.getSection(Section.ANSWER).stream().filter(r -> r instanceof ARecord)
                .map(r -> ((ARecord) r).getAddress().getHostAddress()).collect(Collectors.toSet());
    }

    private static List<SRVRecord> srv(Message response) {
        return response.getSection(Section.ANSWER).stream().map(r -> (SRVRecord) r).toList();
    }

    private static String ptr(String ip) throws Exception {
        Message response = query(ReverseMap.fromAddress(ip).toString(), Type.PTR, false);
        return ((PTRRecord) response.getSection(Section.ANSWER).get(0)).getTarget().toString();
    }

    /** A stand-in for the host's resolver on loopback: answers every A query with one fixed address. */
    private static final class FixedUpstream implements AutoCloseable {
        static final String ANSWER = "192.0.2.77";
        private final DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        private final Thread thread = new Thread(this::serve, "fixed-upstream");

        FixedUpstream() throws Exception {
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try {
                    DatagramPacket packet = new DatagramPacket(new byte[512], 512);
                    socket.receive(packet);
                    Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                    Message reply = new Message(query.getHeader().getID());
                    reply.getHeader().setFlag(Flags.QR);
                    reply.addRecord(query.getQuestion(), Section.QUESTION);
                    reply.addRecord(new ARecord(query.getQuestion().getName(), DClass.IN, 60,
                            InetAddress.getByName(ANSWER)), Section.ANSWER);
                    byte[] wire = reply.toWire();
                    socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
                } catch (Exception e) {
                    // closed, or a malformed query: keep serving until closed
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
