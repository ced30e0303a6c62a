package dev.timon.kubelet.server;

import dev.timon.cri.CriClient;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import runtime.v1.Api.ContainerState;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Serves a container's CRI log file as the kubelet does: the messages with partial lines joined, optionally
 * prefixed with their timestamps, from {@code tailLines} or {@code since}, up to {@code limitBytes}; with
 * {@code follow}, tails the file until the container stops or the client goes away. File reads block, so each
 * request runs on a thread of {@code readers}; output is handed to the response on its event loop.
 */
final class ContainerLogs {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerLogs.class);
    private static final long POLL_MILLIS = 200;
    /** How often a follow checks whether the container still runs. */
    private static final long STATE_CHECK_MILLIS = 1000;
    private static final int FLUSH_BYTES = 32 * 1024;

    private final CriClient cri;
    private final Executor readers;

    ContainerLogs(CriClient cri, Executor readers) {
        this.cri = cri;
        this.readers = readers;
    }

    /** Streams {@code file}; {@code containerId} (may be null) lets a follow end when the container stops. */
    void serve(Context context, HttpServerResponse response, Path file, LogOptions options, String containerId) {
        response.setChunked(true).putHeader("Content-Type", "text/plain");
        Output output = new Output(context, response, options.limitBytes());
        response.closeHandler(v -> output.closed = true);
        readers.execute(() -> {
            try (LogFileLines lines = new LogFileLines(file)) {
                copy(lines, options, output);
                if (options.follow() && !options.previous()) {
                    follow(lines, options, output, containerId);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("reading {} failed", file, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                output.end();
            }
        });
    }

    /** Everything written so far, honouring tailLines and since. */
    private static void copy(LogFileLines lines, LogOptions options, Output output) throws IOException, InterruptedException {
        if (options.tailLines() >= 0) {
            for (byte[] entry : lastEntries(lines, options)) {
                output.add(entry);
            }
        } else {
            Entries entries = new Entries();
            byte[] line;
            while ((line = lines.next()) != null) {
                byte[] entry = entries.add(line, options);
                if (entry != null) {
                    output.add(entry);
                }
            }
        }
        output.flush();
    }

    /** The last {@code options.tailLines()} entries written so far. */
    static Deque<byte[]> lastEntries(LogFileLines lines, LogOptions options) throws IOException {
        Entries entries = new Entries();
        Deque<byte[]> tail = new ArrayDeque<>();
        byte[] line;
        while ((line = lines.next()) != null) {
            byte[] entry = entries.add(line, options);
            if (entry != null && options.tailLines() > 0) {
                tail.addLast(entry);
                if (tail.size() > options.tailLines()) {
                    tail.removeFirst();
                }
            }
        }
        return tail;
    }

    private void follow(LogFileLines lines, LogOptions options, Output output, String containerId)
            throws IOException, InterruptedException {
        Entries entries = new Entries();
        long nextStateCheck = System.currentTimeMillis() + STATE_CHECK_MILLIS;
        boolean stopped = false;
        while (!output.done()) {
            byte[] line = lines.next();
            if (line != null) {
                byte[] entry = entries.add(line, options);
                if (entry != null) {
                    output.add(entry);
                }
                continue;
            }
            output.flush();
            if (stopped) {
                return;
            }
            Thread.sleep(POLL_MILLIS);
            if (containerId != null && System.currentTimeMillis() >= nextStateCheck) {
                nextStateCheck = System.currentTimeMillis() + STATE_CHECK_MILLIS;
                // One more pass over the file after the container stopped picks up its last lines.
                stopped = cri.containerStatus(containerId).join().getStatus().getState() != ContainerState.CONTAINER_RUNNING;
            }
        }
    }

    /** Joins partial lines per stream and formats complete entries; null while an entry is incomplete or filtered. */
    private static final class Entries {
        private final Map<String, ByteArrayOutputStream> partial = new HashMap<>();
        private final Map<String, String> partialSince = new HashMap<>();

        byte[] add(byte[] raw, LogOptions options) {
            CriLogLine line = CriLogLine.parse(raw);
            if (line == null) {
                return null;
            }
            ByteArrayOutputStream joined = partial.computeIfAbsent(line.stream(), s -> new ByteArrayOutputStream());
            String timestamp = partialSince.computeIfAbsent(line.stream(), s -> line.timestamp());
            joined.writeBytes(line.message());
            if (line.partial()) {
                return null;
            }
            partial.remove(line.stream());
            partialSince.remove(line.stream());
            if (options.since() != null && line.time().isBefore(options.since())) {
                return null;
            }
            ByteArrayOutputStream entry = new ByteArrayOutputStream(joined.size() + 40);
            if (options.timestamps()) {
                entry.writeBytes((timestamp + " ").getBytes(StandardCharsets.US_ASCII));
            }
            entry.writeBytes(joined.toByteArray());
            entry.write('\n');
            return entry.toByteArray();
        }
    }

    /** Hands bytes to the response on its context, respecting limitBytes and the response's write queue. */
    private static final class Output {
        private final Context context;
        private final HttpServerResponse response;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream(FLUSH_BYTES);
        private long remaining;
        volatile boolean closed;

        Output(Context context, HttpServerResponse response, long limitBytes) {
            this.context = context;
            this.response = response;
            this.remaining = limitBytes < 0 ? Long.MAX_VALUE : limitBytes;
        }

        boolean done() {
            return closed || remaining == 0;
        }

        void add(byte[] entry) throws InterruptedException {
            int length = (int) Math.min(entry.length, remaining);
            pending.write(entry, 0, length);
            remaining -= length;
            if (pending.size() >= FLUSH_BYTES) {
                flush();
            }
        }

        void flush() throws InterruptedException {
            if (pending.size() == 0) {
                return;
            }
            while (!closed && response.writeQueueFull()) {
                Thread.sleep(10);
            }
            Buffer chunk = Buffer.buffer(pending.toByteArray());
            pending.reset();
            context.runOnContext(v -> {
                if (!response.closed()) {
                    response.write(chunk);
                }
            });
        }

        void end() {
            context.runOnContext(v -> {
                if (!response.closed() && !response.ended()) {
                    response.end();
                }
            });
        }
    }
}
