package dev.timon.dns;

import dev.timon.client.Informers;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** The cluster DNS: watches Services and EndpointSlices and serves the cluster zone on one address. */
public final class ClusterDns implements AutoCloseable {

    /** Short, so a dead upstream turns into SERVFAIL before the pod's resolver gives up on us. */
    static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(2);

    private final Informers informers;
    private final DnsServer server;

    private ClusterDns(Informers informers, DnsServer server) {
        this.informers = informers;
        this.server = server;
    }

    /**
     * @param upstreams where names outside the cluster are forwarded (the host's resolvers); none gives SERVFAIL
     */
    public static ClusterDns start(KubernetesClient client, InetSocketAddress listen, List<InetSocketAddress> upstreams)
            throws Exception {
        Informers informers = new Informers(client);
        ClusterZone zone = new ClusterZone(ClusterDnsConfig.DOMAIN, informers.forType(Service.class),
                informers.forType(EndpointSlice.class));
        informers.startAndSync(60);
        return new ClusterDns(informers, DnsServer.start(new DnsHandler(zone, Forwarder.to(upstreams, FORWARD_TIMEOUT)), listen));
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
        informers.close();
    }
}
