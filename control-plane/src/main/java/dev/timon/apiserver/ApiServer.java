package dev.timon.apiserver;

import dev.timon.apimachinery.ApiException;
import dev.timon.apimachinery.Json;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The HTTPS front door: HTTP/1.1 and HTTP/2 on one port, bearer-token authentication on every request
 * (health and version are public, as upstream's public-info-viewer role allows), then the non-resource
 * endpoints or a resource handler. Request bodies over 3 MiB are refused before they are decoded.
 */
public final class ApiServer {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    public static final int MAX_BODY_BYTES = 3 * 1024 * 1024;
    private static final Set<String> PUBLIC_PATHS = Set.of("/version", "/healthz", "/livez", "/readyz");

    private final Vertx vertx;
    private final Authenticator authenticator;
    private final Discovery discovery;
    private final ResourceHandler resources;
    private final OpenApiHandler openApi;
    private final BooleanSupplier ready;
    /** The verticle deployment of the servers, undeployed (which closes them) on close. */
    private volatile String deployment;
    private final RequestMetrics metrics = new RequestMetrics();

    public ApiServer(Vertx vertx, Authenticator authenticator, Discovery discovery, ResourceHandler resources,
                     OpenApiHandler openApi, BooleanSupplier ready) {
        this.vertx = vertx;
        this.authenticator = authenticator;
        this.discovery = discovery;
        this.resources = resources;
        this.openApi = openApi;
        this.ready = ready;
    }

    /**
     * Listens with one server per core, each deployed as a verticle instance so that it owns an event loop of its
     * own and the connections spread over the cores. (Servers created straight from one thread all landed on one
     * event loop: the whole API server then ran on a single core.)
     */
    public Future<Void> listen(String host, int port, Path certificate, Path key) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setSsl(true)
                .setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certificate.toString()).setKeyPath(key.toString()))
                .setMaxFormAttributeSize(-1);
        if (OpenSSLEngineOptions.isAvailable()) {
            options.setSslEngineOptions(new OpenSSLEngineOptions());
        }
        options.getInitialSettings().setMaxConcurrentStreams(1000);
        int instances = Math.max(2, Runtime.getRuntime().availableProcessors());
        Supplier<Deployable> server = () -> context -> {
            // No WebSocket handlers: upgrade requests reach the request handler like any other, so a watch can
            // upgrade itself and exec, attach and port-forward are handed to the node whole.
            return vertx.createHttpServer(options).requestHandler(this::accept).listen();
        };
        return vertx.deployVerticle(server, new DeploymentOptions().setInstances(instances)).map(id -> {
            deployment = id;
            LOG.info("API server listening on https://{}:{} ({} event loops)", host, port, instances);
            return null;
        });
    }

    public Future<Void> close() {
        return deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
    }

    private void accept(HttpServerRequest request) {
        String path = request.path();
        if (!PUBLIC_PATHS.contains(path) && authenticator.authenticate(request).isEmpty()) {
            Responses.error(request.response(), ApiException.unauthorized());
            return;
        }
        if (request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD)) {
            dispatch(request, new byte[0]);
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null && Long.parseLong(length) > MAX_BODY_BYTES) {
            refuseLargeBody(request);
            return;
        }
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BODY_BYTES) {
                refuseLargeBody(request);
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(v -> {
            if (!request.response().ended()) {
                dispatch(request, body.getBytes());
            }
        });
    }

    private static void refuseLargeBody(HttpServerRequest request) {
        if (!request.response().ended()) {
            request.response().putHeader("Connection", "close");
            Responses.error(request.response(), ApiException.tooLarge("Request entity too large: limit is 3145728"));
        }
    }

    private void dispatch(HttpServerRequest request, byte[] body) {
        try {
            if (!serveNonResource(request)) {
                RequestInfo info = RequestInfo.parse(request.path());
                if (info == null) {
                    throw new ApiException(404, "NotFound", "the server could not find the requested resource",
                            ApiException.Target.NONE, List.of());
                }
                metrics.track(request, info);
                resources.handle(request, info, body);
            }
        } catch (RuntimeException e) {
            Responses.error(request.response(), e);
        }
    }

    /** Version, health, discovery and OpenAPI; returns false for resource paths. */
    private boolean serveNonResource(HttpServerRequest request) {
        String path = request.path().replaceAll("/+$", "");
        switch (path) {
            case "/version" -> Responses.json(request.response(), 200, Version.INFO);
            case "/healthz", "/livez", "/readyz" -> health(request);
            case "/metrics" -> Responses.bytes(request.response(), 200,
                    metrics.render().getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/plain; version=0.0.4");
            case "/api" -> aggregatedOr(request, true, () -> discovery.apiVersions());
            case "/apis" -> aggregatedOr(request, false, () -> discovery.apiGroupList());
            case "/api/v1" -> Responses.json(request.response(), 200, discovery.apiResourceList("", "v1"));
            default -> {
                if (path.startsWith("/openapi/")) {
                    openApi.serve(request, path);
                    return true;
                }
                if (path.startsWith("/apis/")) {
                    String[] parts = path.substring(6).split("/");
                    if (parts.length == 1) {
                        List<String> versions = discovery.versionsOf(parts[0]);
                        if (versions.isEmpty()) {
                            return false;
                        }
                        Responses.json(request.response(), 200, discovery.apiGroup(parts[0], versions));
                        return true;
                    }
                    if (parts.length == 2 && discovery.versionsOf(parts[0]).contains(parts[1])) {
                        Responses.json(request.response(), 200, discovery.apiResourceList(parts[0], parts[1]));
                        return true;
                    }
                }
                return false;
            }
        }
        return true;
    }

    /** Aggregated discovery when the client accepts it (the exact content type decides), legacy otherwise. */
    private void aggregatedOr(HttpServerRequest request, boolean core, Supplier<Object> legacy) {
        String version = aggregatedVersion(request.getHeader("Accept"));
        if (version == null) {
            Responses.json(request.response(), 200, legacy.get());
            return;
        }
        Responses.bytes(request.response(), 200, Json.bytes(discovery.aggregated(core, version)),
                version.equals("v2") ? Discovery.AGGREGATED_V2 : Discovery.AGGREGATED_V2BETA1);
    }

    /** The first aggregated discovery version the Accept header lists, or null when it lists none. */
    static String aggregatedVersion(String accept) {
        if (accept == null) {
            return null;
        }
        for (String range : accept.split(",")) {
            List<String> params = List.of(range.replace(" ", "").split(";"));
            if (params.contains("g=apidiscovery.k8s.io") && params.contains("as=APIGroupDiscoveryList")) {
                if (params.contains("v=v2")) {
                    return "v2";
                }
                if (params.contains("v=v2beta1")) {
                    return "v2beta1";
                }
            }
        }
        return null;
    }

    private void health(HttpServerRequest request) {
        boolean ok = ready.getAsBoolean();
        String body = ok ? "ok" : "[-]etcd-readiness failed: reason withheld\nhealthz check failed";
        if (request.params().contains("verbose")) {
            body = (ok ? "[+]ping ok\n[+]etcd ok\n[+]watch-cache ok\n" : "[+]ping ok\n[-]etcd failed\n")
                    + request.path().substring(1) + (ok ? " check passed" : " check failed");
        }
        request.response().setStatusCode(ok ? 200 : 500).putHeader("Content-Type", "text/plain; charset=utf-8").end(body);
    }

    /** What /version reports: minor "32", so the kubectl dispatcher picks its 1.32 client. */
    static final class Version {
        static final Map<String, String> INFO = Map.of(
                "major", "1",
                "minor", "32",
                "gitVersion", "v1.32.0-timon",
                "gitCommit", "timon",
                "gitTreeState", "clean",
                "buildDate", "2026-11-21T00:00:00Z",
                "goVersion", "java" + System.getProperty("java.specification.version"),
                "compiler", "javac",
                "platform", "linux/amd64");

        private Version() {
        }
    }
}
