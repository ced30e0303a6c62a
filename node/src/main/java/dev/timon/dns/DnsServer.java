package dev.timon.dns;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Serves DNS over UDP and TCP on one address. Queries are answered on a small pool (forwarding blocks for up to
 * its timeout); UDP answers larger than the client's buffer are truncated with TC set, so it retries over TCP.
 */
public final class DnsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DnsServer.class);
    private static final int TCP_IDLE_MILLIS = 10_000;

    private final DnsHandler handler;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final ExecutorService workers = Executors.newFixedThreadPool(16, daemon("dns-worker"));
    private final ExecutorService listeners = Executors.newFixedThreadPool(2, daemon("dns-listener"));

    private DnsServer(DnsHandler handler, DatagramSocket udp, ServerSocket tcp) {
        this.handler = handler;
        this.udp = udp;
        this.tcp = tcp;
    }

    static DnsServer start(DnsHandler handler, InetSocketAddress address) throws IOException {
        DatagramSocket udp = new DatagramSocket(address);
        ServerSocket tcp = new ServerSocket();
        tcp.setReuseAddress(true);
        // Same port for both: with port 0 (tests) the TCP listener follows the port UDP was given.
        tcp.bind(new InetSocketAddress(address.getAddress(), udp.getLocalPort()));
        DnsServer server = new DnsServer(handler, udp, tcp);
        server.listeners.submit(server::serveUdp);
        server.listeners.submit(server::serveTcp);
        LOG.info("cluster DNS listening on {}:{} (UDP and TCP)", address.getAddress().getHostAddress(), udp.getLocalPort());
        return server;
    }

    public int port() {
        return udp.getLocalPort();
    }

    private void serveUdp() {
        while (!udp.isClosed()) {
            DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                if (!udp.isClosed()) {
                    LOG.warn("UDP receive failed", e);
                }
                continue;
            }
            byte[] data = Arrays.copyOf(packet.getData(), packet.getLength());
            workers.submit(() -> answerUdp(data, packet.getSocketAddress()));
        }
    }

    private void answerUdp(byte[] data, java.net.SocketAddress client) {
        try {
            Message query = new Message(data);
            OPTRecord opt = query.getOPT();
            int limit = opt == null ? 512 : Math.max(512, opt.getPayloadSize());
            byte[] reply = handler.answer(query).toWire(limit);
            udp.send(new DatagramPacket(reply, reply.length, client));
        } catch (IOException e) {
            LOG.debug("dropped a UDP query from {}: {}", client, e.toString());
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try {
                Socket socket = tcp.accept();
                workers.submit(() -> answerTcp(socket));
            } catch (IOException e) {
                if (!tcp.isClosed()) {
                    LOG.warn("TCP accept failed", e);
                }
            }
        }
    }

    /** Length-prefixed messages until the client closes or idles. */
    private void answerTcp(Socket socket) {
        try (socket) {
            socket.setSoTimeout(TCP_IDLE_MILLIS);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (true) {
                byte[] data = new byte[in.readUnsignedShort()];
                in.readFully(data);
                byte[] reply = handler.answer(new Message(data)).toWire();
                out.writeShort(reply.length);
                out.write(reply);
                out.flush();
            }
        } catch (EOFException | SocketException | java.net.SocketTimeoutException e) {
            // the client is done
        } catch (IOException e) {
            LOG.debug("TCP DNS connection ended: {}", e.toString());
        }
    }

    @Override
    public void close() throws InterruptedException {
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            // closing anyway
        }
        listeners.shutdownNow();
        workers.shutdownNow();
        workers.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
