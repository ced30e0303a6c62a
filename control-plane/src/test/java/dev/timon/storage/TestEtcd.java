package dev.timon.storage;

import dev.timon.testing.TempFolders;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private etcd for tests that need real storage: Debian's etcd binary on free loopback ports with its data in a
 * temporary folder, removed on close.
 */
public final class TestEtcd implements AutoCloseable {

    private final Path dir;
    private final Process process;
    private final String endpoint;

    private TestEtcd(Path dir, Process process, String endpoint) {
        this.dir = dir;
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts etcd with its usual flags followed by {@code extraFlags}. */
    public static TestEtcd start(String... extraFlags) throws IOException {
        Path dir = Files.createTempDirectory("timon-etcd");
        String client = "http://127.0.0.1:" + freePort();
        String peer = "http://127.0.0.1:" + freePort();
        List<String> command = new ArrayList<>(List.of("etcd", "--name=test", "--data-dir=" + dir.resolve("data"),
                "--listen-client-urls=" + client, "--advertise-client-urls=" + client,
                "--listen-peer-urls=" + peer, "--initial-advertise-peer-urls=" + peer, "--initial-cluster=test=" + peer));
        command.addAll(List.of(extraFlags));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("etcd.log").toFile()).start();
        return new TestEtcd(dir, process, client);
    }

    /** A client of this etcd, returned once etcd answers (it needs a moment to start listening). */
    public EtcdStore connect() throws Exception {
        EtcdStore store = EtcdStore.connect(endpoint);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                store.currentRevision().get(5, TimeUnit.SECONDS);
                return store;
            } catch (Exception e) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    store.close();
                    throw new IllegalStateException("etcd did not start; see " + dir.resolve("etcd.log"), e);
                }
                Thread.sleep(200);
            }
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
        TempFolders.delete(dir);
    }

    /** The client URL, e.g. http://127.0.0.1:40123. */
    public String endpoint() {
        return endpoint;
    }

    /** A loopback port free at the time of asking. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
