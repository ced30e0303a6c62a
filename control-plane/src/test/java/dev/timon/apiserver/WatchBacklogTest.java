package dev.timon.apiserver;

import dev.timon.controlplane.TestControlPlane;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.WebSocket;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A watch whose reader falls behind (here: stops reading for a while, over a real WebSocket to a real API server)
 * keeps its stream while its backlog stays within the server's per-watch budget, and is cut off, not buffered
 * without bound, beyond it.
 */
class WatchBacklogTest {

    @Test
    void aReaderBehindByABurstGetsEveryEventOnTheSameStream() throws Exception {
        try (KubernetesClient client = TestControlPlane.get().newClient();
             PausedReader reader = fallBehind(client, "watch-backlog-burst", 600, 5_000)) {
            assertTrue(reader.await(600, 60), () -> "events read: " + reader.events.get());
            assertFalse(reader.closed(), "the stream stayed open");
        }
    }

    @Test
    void aReaderFarBehindIsCutOff() throws Exception {
        // 40 MB of events: well past the budget plus what the sockets' kernel buffers hold.
        try (KubernetesClient client = TestControlPlane.get().newClient();
             PausedReader reader = fallBehind(client, "watch-backlog-far", 100, 400_000)) {
            assertTrue(reader.closed.await(60, TimeUnit.SECONDS), "the server ended the stream");
            assertTrue(reader.events.get() < 100, () -> "events read before the end: " + reader.events.get());
        }
    }

    /** A watch of a new namespace's ConfigMaps that reads nothing while {@code count} of them are created, then reads. */
    private static PausedReader fallBehind(KubernetesClient client, String ns, int count, int bytes) throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .serverSideApply();
        PausedReader reader = PausedReader.open(client, ns);
        create(client, ns, count, bytes);
        reader.resume();
        return reader;
    }

    /**
     * Creates {@code count} ConfigMaps of {@code bytes} of data each, 4 at a time: with 16 of 400 KB in flight, one
     * create outlasted the client's 10 s request timeout on a slowed machine, and how fast they land is not the test.
     */
    private static void create(KubernetesClient client, String ns, int count, int bytes) throws Exception {
        String data = "x".repeat(bytes);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> creates = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = "cm-" + i;
                creates.add(pool.submit(() -> client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder()
                        .withNewMetadata().withName(name).endMetadata().addToData("k", data).build()).create()));
            }
            for (Future<?> create : creates) {
                create.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A WebSocket watch of a namespace's ConfigMaps that reads nothing until {@link #resume}. */
    private static final class PausedReader implements WebSocket.Listener, AutoCloseable {
        final AtomicInteger events = new AtomicInteger();
        final CountDownLatch closed = new CountDownLatch(1);
        private volatile boolean resumed;
        private WebSocket socket;

        static PausedReader open(KubernetesClient client, String ns) throws Exception {
            String version = client.configMaps().inNamespace(ns).list().getMetadata().getResourceVersion();
            PausedReader reader = new PausedReader();
            URI uri = URI.create(client.getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/" + ns
                    + "/configmaps?watch=true&resourceVersion=" + version);
            reader.socket = client.getHttpClient().newWebSocketBuilder().uri(uri).buildAsync(reader).get(30, TimeUnit.SECONDS);
            return reader;
        }

        void resume() {
            resumed = true;
            socket.request();
        }

        boolean await(int count, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (events.get() < count && closed.getCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            return events.get() == count;
        }

        boolean closed() {
            return closed.getCount() == 0;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            // No request: nothing is read until resume().
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            assertTrue(text.startsWith("{\"type\":\"ADDED\""), text.substring(0, Math.min(text.length(), 80)));
            events.incrementAndGet();
            if (resumed) {
                webSocket.request();
            }
        }

        @Override
        public void onClose(WebSocket webSocket, int code, String reason) {
            closed.countDown();
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.countDown();
        }

        @Override
        public void close() {
            socket.sendClose(1000, "done");
        }
    }
}
