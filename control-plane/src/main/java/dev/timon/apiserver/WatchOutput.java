package dev.timon.apiserver;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;

/**
 * Where a watch's events go: the lines of a chunked HTTP response, or the text frames of a WebSocket (one
 * event per frame, as upstream frames JSON watches for WebSocket clients such as fabric8).
 */
interface WatchOutput {

    /** Sends whatever must precede the first event (the HTTP headers), if not sent yet. */
    void open();

    /** Runs {@code stop} once when the client goes away or the connection fails. */
    void onClose(Runnable stop);

    /** True when the connection takes no more for now (its write buffer is full). */
    boolean full();

    /** Runs {@code resume} once the connection, being full, takes writes again. */
    void onDrain(Runnable resume);

    /** Sends one event, encoded as a JSON line ending in a newline. */
    void send(byte[] eventLine);

    /** Sends {@code lastLine} (may be null) and ends the stream. */
    void end(byte[] lastLine);

    boolean ended();

    static WatchOutput of(HttpServerResponse response) {
        return new Http(response);
    }

    static WatchOutput of(ServerWebSocket webSocket) {
        return new WebSocket(webSocket);
    }

    final class Http implements WatchOutput {
        private final HttpServerResponse response;

        Http(HttpServerResponse response) {
            this.response = response;
            response.setChunked(true).setStatusCode(200)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "no-cache, private");
        }

        @Override
        public void open() {
            // Headers now, as upstream flushes them: clients (fabric8 informers) wait for them before they are
            // ready, and a watch with nothing to report yet would otherwise send none.
            if (!response.headWritten()) {
                response.writeHead();
            }
        }

        @Override
        public void onClose(Runnable stop) {
            response.closeHandler(v -> stop.run());
            response.exceptionHandler(e -> stop.run());
        }

        @Override
        public boolean full() {
            return response.writeQueueFull();
        }

        @Override
        public void onDrain(Runnable resume) {
            response.drainHandler(v -> resume.run());
        }

        @Override
        public void send(byte[] eventLine) {
            response.write(Buffer.buffer(eventLine));
        }

        @Override
        public void end(byte[] lastLine) {
            if (ended()) {
                return;
            }
            if (lastLine == null) {
                response.end();
            } else {
                response.end(Buffer.buffer(lastLine));
            }
        }

        @Override
        public boolean ended() {
            return response.ended() || response.closed();
        }
    }

    final class WebSocket implements WatchOutput {
        private final ServerWebSocket socket;

        WebSocket(ServerWebSocket socket) {
            this.socket = socket;
        }

        @Override
        public void open() {
        }

        @Override
        public void onClose(Runnable stop) {
            socket.closeHandler(v -> stop.run());
            socket.exceptionHandler(e -> stop.run());
        }

        @Override
        public boolean full() {
            return socket.writeQueueFull();
        }

        @Override
        public void onDrain(Runnable resume) {
            socket.drainHandler(v -> resume.run());
        }

        @Override
        public void send(byte[] eventLine) {
            socket.writeTextMessage(text(eventLine));
        }

        @Override
        public void end(byte[] lastLine) {
            if (ended()) {
                return;
            }
            if (lastLine != null) {
                socket.writeTextMessage(text(lastLine));
            }
            socket.close();
        }

        @Override
        public boolean ended() {
            return socket.isClosed();
        }

        /** The event without its line break: a frame already delimits it. */
        private static String text(byte[] eventLine) {
            int length = eventLine.length > 0 && eventLine[eventLine.length - 1] == '\n' ? eventLine.length - 1 : eventLine.length;
            return new String(eventLine, 0, length, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
