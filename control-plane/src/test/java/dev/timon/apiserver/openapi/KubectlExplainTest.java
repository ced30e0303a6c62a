package dev.timon.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apiserver.Discovery;
import dev.timon.registry.Registry;
import dev.timon.registry.resources.BuiltinResources;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the real kubectl (when on PATH) against a throwaway HTTP server serving only discovery and the OpenAPI
 * documents: `kubectl explain` reads /openapi/v3, and with --output=plaintext-openapiv2 the protobuf /openapi/v2.
 */
class KubectlExplainTest {

    private static Vertx vertx;
    private static HttpServer server;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        Registry registry = BuiltinResources.registry();
        OpenApiService openApi = new OpenApiService(registry);
        Discovery discovery = new Discovery(registry, "127.0.0.1");
        openApi.v3Index(); // builds the documents here rather than on the event loop
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(request -> serve(request, openApi, discovery))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static void serve(HttpServerRequest request, OpenApiService openApi, Discovery discovery) {
        String path = request.path();
        String[] parts = path.substring(1).split("/");
        if (path.equals("/version")) {
            json(request, "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0\"}".getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/api")) {
            json(request, discovery.apiVersions());
        } else if (path.equals("/apis")) {
            json(request, discovery.apiGroupList());
        } else if (path.equals("/api/v1")) {
            json(request, discovery.apiResourceList("", "v1"));
        } else if (parts.length == 3 && parts[0].equals("apis")) {
            json(request, discovery.apiResourceList(parts[1], parts[2]));
        } else if (path.equals("/openapi/v3")) {
            json(request, openApi.v3Index());
        } else if (path.startsWith("/openapi/v3/") && openApi.v3Document(path.substring(12)).isPresent()) {
            json(request, openApi.v3Document(path.substring(12)).orElseThrow());
        } else if (path.equals("/openapi/v2")) {
            request.response().putHeader("Content-Type", OpenApiService.V2_PROTOBUF_CONTENT_TYPE)
                    .end(Buffer.buffer(openApi.v2Protobuf()));
        } else {
            request.response().setStatusCode(404).end();
        }
    }

    private static void json(HttpServerRequest request, ObjectNode body) {
        json(request, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void json(HttpServerRequest request, byte[] body) {
        request.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(body));
    }

    private static String kubectl(String... args) throws IOException, InterruptedException {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: stub, cluster: {server: "http://127.0.0.1:%d"}}]
                users: [{name: stub, user: {}}]
                contexts: [{name: stub, context: {cluster: stub, user: stub}}]
                current-context: stub
                """.formatted(server.actualPort()));
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", dir.resolve("cache").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    private static boolean kubectlOnPath() {
        return System.getenv("PATH") != null && List.of(System.getenv("PATH").split(":")).stream()
                .anyMatch(d -> Files.isExecutable(Path.of(d, "kubectl")));
    }

    @Test
    void explainReadsTheV3Documents() throws Exception {
        assumeTrue(kubectlOnPath(), "kubectl is not installed");
        String output = kubectl("explain", "deployment.spec.template.spec.containers");
        assertTrue(output.contains("KIND:       Deployment"), output);
        assertTrue(output.contains("FIELD: containers <[]Container>"), output);
        assertTrue(output.contains("imagePullPolicy\t<string>"), output);
        assertTrue(output.contains("resources\t<ResourceRequirements>"), output);
    }

    @Test
    void explainReadsTheV2Protobuf() throws Exception {
        assumeTrue(kubectlOnPath(), "kubectl is not installed");
        String output = kubectl("explain", "pods.spec.containers.ports", "--output=plaintext-openapiv2");
        assertTrue(output.contains("containerPort\t<integer> -required-"), output);
    }
}
