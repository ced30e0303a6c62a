package dev.timon.bench;

import io.fabric8.kubernetes.client.Config;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemTrustOptions;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A thin HTTP/2 client for benchmarks, one connection per instance (as one client process would have), with the
 * kubeconfig's server, CA and bearer token, so measured times are the server's and not a heavy client library's.
 * Single requests go through Vert.x on one event loop shared by every instance: the JDK's HttpClient spent about
 * 2 ms of CPU per create, a whole core of the 2-core machine at 500 requests/s, which the server under test then
 * lacked. Watches use the JDK client through {@link #request} and {@link #http}.
 */
final class BenchClient {

    /** Daemon event loop: a benchmark's main returning ends the process. */
    private static final Vertx VERTX = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setUseDaemonThread(true));

    private final HttpClientAgent requests;
    private final HttpClient http;
    private final String server;
    private final String token;

    BenchClient(Path kubeconfig) throws Exception {
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
        this.server = config.getMasterUrl().replaceAll("/+$", "");
        this.token = config.getAutoOAuthToken() != null ? config.getAutoOAuthToken() : config.getOauthToken();
        byte[] ca = config.getCaCertData() != null ? Base64.getDecoder().decode(config.getCaCertData())
                : Files.readAllBytes(Path.of(config.getCaCertFile()));
        HttpClientOptions options = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true).setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca)))
                .setConnectTimeout(10_000);
        if (OpenSSLEngineOptions.isAvailable()) {
            options.setSslEngineOptions(new OpenSSLEngineOptions()); // native TLS: a 16 MB list costs the JDK's far more
        }
        this.requests = VERTX.createHttpClient(options, new PoolOptions().setHttp2MaxSize(1));
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .sslContext(sslContext(ca))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static SSLContext sslContext(byte[] ca) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int i = 0;
        for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(ca))) {
            trust.setCertificateEntry("ca" + i++, (X509Certificate) cert);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(null, null);
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /** A JDK request to {@code path}, for reads streamed through {@link #http}. */
    HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    HttpClient http() {
        return http;
    }

    CompletableFuture<Integer> post(String path, String json) {
        return send(HttpMethod.POST, path, "application/json", json);
    }

    CompletableFuture<Integer> patch(String path, String contentType, String body) {
        return send(HttpMethod.PATCH, path, contentType, body);
    }

    CompletableFuture<Integer> get(String path) {
        return send(HttpMethod.GET, path, null, null);
    }

    CompletableFuture<Integer> delete(String path) {
        return send(HttpMethod.DELETE, path, null, null);
    }

    /** GETs {@code path} and hands each chunk of the body to {@code chunks} as it arrives; yields the status. */
    CompletableFuture<Integer> stream(String path, Consumer<Buffer> chunks) {
        return requests.request(options(HttpMethod.GET, path, null))
                .compose(request -> request.send())
                .compose(response -> response.handler(chunks::accept).end().map(v -> response.statusCode()))
                .toCompletionStage().toCompletableFuture();
    }

    /** A response's status and its body, undecoded. */
    record Response(int status, Buffer body) {
    }

    /** Sends one request and yields its status and body once the body is in. */
    CompletableFuture<Response> exchange(HttpMethod method, String path, String contentType, String body) {
        return requests.request(options(method, path, contentType))
                .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(b -> new Response(response.statusCode(), b)))
                .toCompletionStage().toCompletableFuture();
    }

    /** Sends one request and yields its status once the body is in: no caller reads it, so it is not decoded. */
    private CompletableFuture<Integer> send(HttpMethod method, String path, String contentType, String body) {
        return exchange(method, path, contentType, body).thenApply(Response::status);
    }

    private RequestOptions options(HttpMethod method, String path, String contentType) {
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(server + path)
                .setTimeout(60_000).putHeader("Accept", "application/json");
        if (token != null) {
            options.putHeader("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            options.putHeader("Content-Type", contentType);
        }
        return options;
    }
}
