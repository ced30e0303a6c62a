package dev.timon.dns;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.util.Optional;

/** Answers one DNS message: names in the cluster zone from the cluster, reverse lookups it knows, the rest forwarded. */
final class DnsHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DnsHandler.class);
    private static final Name REVERSE_ZONE = ClusterZone.name("in-addr.arpa.");

    private final ClusterZone zone;
    private final Optional<Forwarder> forwarder;
    private final SOARecord soa;

    DnsHandler(ClusterZone zone, Optional<Forwarder> forwarder) {
        this.zone = zone;
        this.forwarder = forwarder;
        Name origin = zone.origin();
        // Negative answers carry the zone's SOA so resolvers cache them for its minimum TTL.
        this.soa = new SOARecord(origin, DClass.IN, ClusterZone.TTL, ClusterZone.name("ns.dns." + origin),
                ClusterZone.name("hostmaster." + origin), 1, 7200, 1800, 86400, ClusterZone.TTL);
    }

    Message answer(Message query) {
        Record question = query.getQuestion();
        if (question == null || query.getHeader().getOpcode() != Opcode.QUERY) {
            return reply(query, Rcode.NOTIMP);
        }
        Name qname = question.getName();
        if (qname.subdomain(zone.origin())) {
            return fromZone(query, zone.lookup(qname, question.getType()));
        }
        if (question.getType() == Type.PTR && qname.subdomain(REVERSE_ZONE)) {
            Optional<ClusterZone.Answer> known = reverseAddress(qname).flatMap(ip -> zone.reverse(qname, ip));
            if (known.isPresent()) {
                return fromZone(query, known.get());
            }
        }
        return forward(query);
    }

    private Message fromZone(Message query, ClusterZone.Answer answer) {
        Message response = reply(query, answer.rcode());
        response.getHeader().setFlag(Flags.AA);
        answer.answers().forEach(r -> response.addRecord(r, Section.ANSWER));
        answer.additional().forEach(r -> response.addRecord(r, Section.ADDITIONAL));
        if (answer.answers().isEmpty()) {
            response.addRecord(soa, Section.AUTHORITY);
        }
        return response;
    }

    private Message forward(Message query) {
        if (forwarder.isEmpty()) {
            return reply(query, Rcode.SERVFAIL);
        }
        try {
            Message upstream = forwarder.get().forward(query);
            upstream.getHeader().setID(query.getHeader().getID());
            return upstream;
        } catch (IOException e) {
            LOG.debug("forwarding {} failed: {}", query.getQuestion().getName(), e.toString());
            return reply(query, Rcode.SERVFAIL);
        }
    }

    private static Message reply(Message query, int rcode) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        response.getHeader().setOpcode(query.getHeader().getOpcode());
        response.getHeader().setRcode(rcode);
        if (query.getQuestion() != null) {
            response.addRecord(query.getQuestion(), Section.QUESTION);
        }
        return response;
    }

    /** d.c.b.a.in-addr.arpa. as a.b.c.d, when it names a whole IPv4 address. */
    static Optional<String> reverseAddress(Name qname) {
        if (qname.labels() != 7) { // four octets, in-addr, arpa and the root
            return Optional.empty();
        }
        StringBuilder ip = new StringBuilder();
        for (int i = 3; i >= 0; i--) {
            String octet = qname.getLabelString(i);
            if (!octet.matches("\\d{1,3}") || Integer.parseInt(octet) > 255) {
                return Optional.empty();
            }
            ip.append(octet).append(i == 0 ? "" : ".");
        }
        return Optional.of(ip.toString());
    }
}
