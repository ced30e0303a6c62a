package dev.timon.kubelet.server;

import dev.timon.apimachinery.ApiException;
import dev.timon.apiserver.Responses;
import dev.timon.cri.CriClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import runtime.v1.Api.AttachRequest;
import runtime.v1.Api.ExecRequest;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The node's HTTPS endpoint that the API server calls for a pod's streaming subresources, with the kubelet's
 * paths: {@code /containerLogs/{ns}/{pod}/{container}}, {@code /exec/...}, {@code /attach/...} and
 * {@code /portForward/{ns}/{pod}}. Clients must present a certificate from the cluster CA (401 without one,
 * 403 when its name is not allowed). Exec and attach are bridged to the runtime's streaming server; clients may
 * speak WebSocket {@code v5.channel.k8s.io} or SPDY/3.1 {@code v4.channel.k8s.io}. Port-forward speaks
 * {@code portforward.k8s.io} over SPDY, plain or tunnelled in a WebSocket.
 */
public final class NodeServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeServer.class);
    /** kubectl cp streams a tar through stdin; bigger messages than Vert.x's 64 KiB default are fine. */
    private static final int MAX_WEBSOCKET_MESSAGE = 16 * 1024 * 1024;

    private final Vertx vertx;
    private final CriClient cri;
    private final Path podLogsRoot;
    private final ContainerLocator locator;
    private final NetClient plainClient;
    private final ExecutorService logReaders;
    private final ContainerLogs logs;
    private NodeServerConfig config;
    private HttpServer server;

    /**
     * @param podLogsRoot folder that holds the pods' log files; files elsewhere are never served
     * @param locator     finds the pod's sandbox, containers and log files
     */
    public NodeServer(Vertx vertx, CriClient cri, Path podLogsRoot, ContainerLocator locator) {
        this.vertx = vertx;
        this.cri = cri;
        this.podLogsRoot = podLogsRoot.toAbsolutePath().normalize();
        this.locator = locator;
        this.plainClient = vertx.createNetClient();
        // A follow holds its reader thread for as long as the client listens.
        this.logReaders = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "container-logs");
            thread.setDaemon(true);
            return thread;
        });
        this.logs = new ContainerLogs(cri, logReaders);
    }

    /** Starts listening; yields the bound port. */
    public Future<Integer> listen(NodeServerConfig config) {
        this.config = config;
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.certificate().toString())
                        .setKeyPath(config.key().toString()))
                .setTrustOptions(new PemTrustOptions().addCertPath(config.clientCa().toString()))
                // REQUEST, not REQUIRED: a client without a certificate gets a 401 rather than a failed handshake.
                .setClientAuth(ClientAuth.REQUEST)
                .setWebSocketSubProtocols(List.of(dev.timon.streams.ChannelFrames.PROTOCOL, PortForwarder.WEBSOCKET_PROTOCOL))
                .setMaxWebSocketMessageSize(MAX_WEBSOCKET_MESSAGE)
                .setMaxWebSocketFrameSize(MAX_WEBSOCKET_MESSAGE);
        server = vertx.createHttpServer(options).requestHandler(this::accept);
        return server.listen().map(s -> {
            LOG.info("node server listening on https://{}:{}", config.host(), s.actualPort());
            return s.actualPort();
        });
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        plainClient.close();
        logReaders.shutdownNow();
    }

    private void accept(HttpServerRequest request) {
        Optional<ApiException> denied = authenticate(request);
        if (denied.isPresent()) {
            Responses.error(request.response(), denied.get());
            return;
        }
        // Nothing is read until the handler knows what to do with the connection.
        request.pause();
        List<String> parts = Arrays.stream(request.path().split("/")).filter(p -> !p.isEmpty()).toList();
        try {
            String kind = parts.isEmpty() ? "" : parts.get(0);
            switch (kind) {
                case "containerLogs" -> requireParts(parts, 4, () -> containerLogs(request, parts.get(1), parts.get(2), parts.get(3)));
                case "exec", "attach" -> requireParts(parts, 4,
                        () -> remoteCommand(request, parts.get(1), parts.get(2), parts.get(3), kind.equals("attach")));
                case "portForward" -> requireParts(parts, 3, () -> portForward(request, parts.get(1), parts.get(2)));
                default -> throw notFound("the server could not find the requested resource");
            }
        } catch (IllegalArgumentException e) {
            Responses.error(request.response(), ApiException.badRequest(e.getMessage()));
        } catch (ApiException e) {
            Responses.error(request.response(), e);
        }
    }

    private static void requireParts(List<String> parts, int count, Runnable handler) {
        if (parts.size() != count) {
            throw notFound("the server could not find the requested resource");
        }
        handler.run();
    }

    private Optional<ApiException> authenticate(HttpServerRequest request) {
        List<Certificate> chain;
        try {
            chain = request.connection().peerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.of(ApiException.unauthorized());
        }
        if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate client)) {
            return Optional.of(ApiException.unauthorized());
        }
        String user = commonName(client);
        if (!config.allowedClients().isEmpty() && !config.allowedClients().contains(user)) {
            return Optional.of(ApiException.forbidden("user \"" + user + "\" may not use the node's streaming endpoints"));
        }
        return Optional.empty();
    }

    private static String commonName(X509Certificate certificate) {
        try {
            return new LdapName(certificate.getSubjectX500Principal().getName()).getRdns().stream()
                    .filter(rdn -> rdn.getType().equalsIgnoreCase("CN")).map(Rdn::getValue).map(String::valueOf)
                    .findFirst().orElse("");
        } catch (InvalidNameException e) {
            return "";
        }
    }

    // ---- logs ----

    private void containerLogs(HttpServerRequest request, String namespace, String pod, String container) {
        LogOptions options = LogOptions.parse(request.params(), Instant.now());
        Context context = vertx.getOrCreateContext();
        blocking(() -> {
            Path file = locator.logFile(namespace, pod, container, options.previous()).orElseThrow(() -> notFound(
                    options.previous() ? "previous terminated container \"" + container + "\" in pod \"" + pod + "\" not found"
                            : "container \"" + container + "\" in pod \"" + pod + "\" has no log file"));
            Path normalized = file.toAbsolutePath().normalize();
            if (!normalized.startsWith(podLogsRoot)) {
                throw ApiException.forbidden("log file " + file + " is outside the pod log folder");
            }
            String running = options.previous() ? null : locator.containerId(namespace, pod, container).orElse(null);
            return new Object[] {normalized, running};
        }).onSuccess(found -> logs.serve(context, request.response(), (Path) found[0], options, (String) found[1]))
                .onFailure(e -> Responses.error(request.response(), e));
    }

    // ---- exec and attach ----

    private void remoteCommand(HttpServerRequest request, String namespace, String pod, String container, boolean attach) {
        RemoteCommandOptions options = RemoteCommandOptions.parse(request.params());
        Upgrade upgrade = Upgrade.of(request);
        if (upgrade == Upgrade.SPDY && !upgrade.offers(request, ContainerStreams.PROTOCOL)) {
            throw ApiException.badRequest("unsupported streaming protocol: " + request.headers().getAll(Upgrade.PROTOCOL_HEADER)
                    + "; this node speaks " + ContainerStreams.PROTOCOL + " over SPDY and " + dev.timon.streams.ChannelFrames.PROTOCOL
                    + " over WebSocket");
        }
        if (!attach && options.command().isEmpty()) {
            throw ApiException.badRequest("you must specify at least 1 command");
        }
        blocking(() -> locator.containerId(namespace, pod, container).orElseThrow(() ->
                notFound("container \"" + container + "\" not found in pod \"" + pod + "\"")))
                .compose(id -> fromCri(attach
                        ? cri.attach(AttachRequest.newBuilder().setContainerId(id).setStdin(options.stdin()).setTty(options.tty())
                                .setStdout(options.stdout()).setStderr(options.stderr()).build())
                        : cri.exec(ExecRequest.newBuilder().setContainerId(id).addAllCmd(options.command()).setTty(options.tty())
                                .setStdin(options.stdin()).setStdout(options.stdout()).setStderr(options.stderr()).build())))
                .compose(url -> ContainerStreams.connect(plainClient, url, options))
                .onFailure(e -> Responses.error(request.response(), e))
                .onSuccess(streams -> {
                    if (upgrade == Upgrade.WEBSOCKET) {
                        request.toWebSocket().onSuccess(socket -> WebSocketRemoteCommand.serve(socket, streams))
                                .onFailure(e -> {
                                    LOG.warn("exec upgrade for {}/{} failed", namespace, pod, e);
                                    streams.close();
                                });
                    } else {
                        upgrade.accept(request, ContainerStreams.PROTOCOL)
                                .onSuccess(socket -> SpdyRemoteCommand.serve(socket, options, streams))
                                .onFailure(e -> {
                                    LOG.warn("exec upgrade for {}/{} failed", namespace, pod, e);
                                    streams.close();
                                });
                    }
                });
    }

    // ---- port-forward ----

    private void portForward(HttpServerRequest request, String namespace, String pod) {
        Upgrade upgrade = Upgrade.of(request);
        if (upgrade == Upgrade.SPDY && !upgrade.offers(request, PortForwarder.PROTOCOL)) {
            throw ApiException.badRequest("unsupported streaming protocol: " + request.headers().getAll(Upgrade.PROTOCOL_HEADER));
        }
        blocking(() -> locator.sandboxId(namespace, pod).orElseThrow(() -> notFound("pod \"" + pod + "\" has no running sandbox")))
                .compose(id -> fromCri(cri.podSandboxStatus(id)))
                // A host-network pod has no address of its own: its ports are the node's.
                .map(status -> status.getStatus().getNetwork().getIp().isEmpty() ? "127.0.0.1" : status.getStatus().getNetwork().getIp())
                .onFailure(e -> Responses.error(request.response(), e))
                .onSuccess(address -> {
                    if (upgrade == Upgrade.WEBSOCKET) {
                        request.toWebSocket().onSuccess(socket -> PortForwarder.serve(socket, plainClient, address))
                                .onFailure(e -> LOG.warn("port-forward upgrade for {}/{} failed", namespace, pod, e));
                    } else {
                        upgrade.accept(request, PortForwarder.PROTOCOL)
                                .onSuccess(socket -> PortForwarder.serve(socket, plainClient, address))
                                .onFailure(e -> LOG.warn("port-forward upgrade for {}/{} failed", namespace, pod, e));
                    }
                });
    }

    // ---- plumbing ----

    private <T> Future<T> blocking(Supplier<T> call) {
        return vertx.executeBlocking(call::get, false);
    }

    private <T> Future<T> fromCri(CompletableFuture<T> call) {
        return Future.fromCompletionStage(call, vertx.getOrCreateContext());
    }

    private static ApiException notFound(String message) {
        return new ApiException(404, "NotFound", message, ApiException.Target.NONE, List.of());
    }
}
