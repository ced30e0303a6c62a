package dev.timon.bench;

import io.fabric8.kubernetes.client.Config;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * A thin HTTP/2 client for benchmarks: the JDK's HttpClient with the kubeconfig's server, CA and bearer token,
 * so measured times are the server's and not a heavy client library's.
 */
final class BenchClient {

    private final HttpClient http;
    private final String server;
    private final String token;

    BenchClient(Path kubeconfig) throws Exception {
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
        this.server = config.getMasterUrl().replaceAll("/+$", "");
        this.token = config.getAutoOAuthToken() != null ? config.getAutoOAuthToken() : config.getOauthToken();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .sslContext(sslContext(config))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static SSLContext sslContext(Config config) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        byte[] ca = config.getCaCertData() != null ? Base64.getDecoder().decode(config.getCaCertData())
                : Files.readAllBytes(Path.of(config.getCaCertFile()));
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

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    CompletableFuture<HttpResponse<String>> send(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpClient http() {
        return http;
    }

    CompletableFuture<HttpResponse<String>> post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    CompletableFuture<HttpResponse<String>> get(String path) {
        return send(request(path).header("Accept", "application/json").GET().build());
    }

    CompletableFuture<HttpResponse<String>> delete(String path) {
        return send(request(path).DELETE().build());
    }
}
