package dev.timon.dns;

import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Sends queries for names outside the cluster to the host's resolvers (from its resolv.conf). */
final class Forwarder {

    private final Resolver resolver;

    private Forwarder(Resolver resolver) {
        this.resolver = resolver;
    }

    /** A forwarder to the given servers, tried in turn; empty when there is none. */
    static Optional<Forwarder> to(List<InetSocketAddress> servers, Duration timeout) {
        if (servers.isEmpty()) {
            return Optional.empty();
        }
        List<Resolver> resolvers = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            SimpleResolver simple = new SimpleResolver(server);
            simple.setTimeout(timeout);
            resolvers.add(simple);
        }
        ExtendedResolver extended = new ExtendedResolver(resolvers);
        extended.setTimeout(timeout);
        extended.setRetries(1);
        return Optional.of(new Forwarder(extended));
    }

    /** The upstream answer; blocks up to the timeout per server. */
    Message forward(Message query) throws IOException {
        return resolver.send(query);
    }
}
