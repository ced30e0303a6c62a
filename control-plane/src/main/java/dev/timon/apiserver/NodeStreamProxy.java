package dev.timon.apiserver;

import dev.timon.apimachinery.ApiException;
import dev.timon.registry.ResourceDefinition;
import dev.timon.registry.ResourceStore;
import dev.timon.registry.Subresource;
import dev.timon.streams.UpgradeClient;
import dev.timon.streams.UpgradedConnections;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Serves pods/log, exec, attach and portforward by proxying to the node server of the pod's node, as
 * kube-apiserver proxies to the kubelet: over TLS with the API server's client certificate, to the node's
 * InternalIP and kubelet port. Upgrade requests (WebSocket and SPDY) are sent as raw HTTP/1.1; once the node
 * answers 101, the client gets the same 101 and the two connections are spliced byte for byte.
 */
public final class NodeStreamProxy implements NodeStreams {

    public static final int DEFAULT_KUBELET_PORT = 10250;
    static final String DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";
    /** Client headers the node must not see: the client's own credentials, and framing this proxy redoes. */
    private static final Set<String> DROPPED_HEADERS = Set.of("host", "authorization", "transfer-encoding");

    private final Vertx vertx;
    private final ResourceStore store;
    private final ResourceDefinition<Pod> pods;
    private final ResourceDefinition<Node> nodes;
    private final NetClient upgrades;
    private final HttpClient requests;

    /**
     * @param clientCertificate PEM certificate the API server presents to nodes ({@code apiserver-kubelet-client})
     * @param clientKey         its key
     * @param clusterCa         PEM CA that node serving certificates must chain to
     */
    public NodeStreamProxy(Vertx vertx, ResourceStore store, ResourceDefinition<Pod> pods, ResourceDefinition<Node> nodes,
                           Path clientCertificate, Path clientKey, Path clusterCa) {
        this.vertx = vertx;
        this.store = store;
        this.pods = pods;
        this.nodes = nodes;
        PemKeyCertOptions identity = new PemKeyCertOptions().setCertPath(clientCertificate.toString())
                .setKeyPath(clientKey.toString());
        PemTrustOptions trust = new PemTrustOptions().addCertPath(clusterCa.toString());
        this.upgrades = vertx.createNetClient(new NetClientOptions().setSsl(true).setKeyCertOptions(identity)
                .setTrustOptions(trust).setHostnameVerificationAlgorithm("HTTPS"));
        this.requests = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setKeyCertOptions(identity)
                .setTrustOptions(trust).setVerifyHost(true));
    }

    @Override
    public void handle(HttpServerRequest request, ResourceDefinition<?> def, RequestInfo info, Subresource subresource) {
        // The node decides what happens to the connection; nothing is read until then.
        request.pause();
        Context context = vertx.getOrCreateContext();
        Future.fromCompletionStage(store.get(pods, info.namespace(), info.name()), context)
                .compose(object -> {
                    Pod pod = (Pod) object.object();
                    String path = nodePath(pod, subresource, request);
                    String nodeName = pod.getSpec().getNodeName();
                    if (nodeName == null || nodeName.isEmpty()) {
                        throw ApiException.badRequest("pod " + info.name() + " does not have a host assigned");
                    }
                    return Future.fromCompletionStage(store.get(nodes, "", nodeName), context)
                            .map(node -> new Target(address((Node) node.object()), port((Node) node.object()), path));
                })
                .onSuccess(target -> {
                    if (request.headers().contains("Upgrade")) {
                        upgrade(request, target);
                    } else {
                        forward(request, target);
                    }
                })
                .onFailure(e -> Responses.error(request.response(), e));
    }

    private record Target(String host, int port, String pathAndQuery) {
    }

    /** The kubelet path: /containerLogs|exec|attach/{ns}/{pod}/{container} or /portForward/{ns}/{pod}, same query. */
    static String nodePath(Pod pod, Subresource subresource, HttpServerRequest request) {
        String namespace = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        String query = request.query() == null ? "" : "?" + request.query();
        return switch (subresource) {
            case LOG -> "/containerLogs/" + namespace + "/" + name + "/" + container(pod, request.getParam("container")) + query;
            case EXEC -> "/exec/" + namespace + "/" + name + "/" + container(pod, request.getParam("container")) + query;
            case ATTACH -> "/attach/" + namespace + "/" + name + "/" + container(pod, request.getParam("container")) + query;
            case PORTFORWARD -> "/portForward/" + namespace + "/" + name + query;
            default -> throw new ApiException(404, "NotFound", "pods/" + subresource.path() + " is not served",
                    ApiException.Target.NONE, List.of());
        };
    }

    /** The named container, else the default-container annotation, else the only container. */
    static String container(Pod pod, String requested) {
        List<String> names = pod.getSpec().getContainers().stream().map(Container::getName).toList();
        List<String> initNames = Optional.ofNullable(pod.getSpec().getInitContainers()).orElse(List.of()).stream()
                .map(Container::getName).toList();
        String name = requested;
        if (name == null || name.isEmpty()) {
            name = Optional.ofNullable(pod.getMetadata().getAnnotations()).map(a -> a.get(DEFAULT_CONTAINER_ANNOTATION))
                    .orElse(names.size() == 1 ? names.get(0) : null);
        }
        if (name == null) {
            throw ApiException.badRequest("a container name must be specified for pod " + pod.getMetadata().getName()
                    + ", choose one of: [" + String.join(" ", names) + "]");
        }
        if (!names.contains(name) && !initNames.contains(name)) {
            throw ApiException.badRequest("container " + name + " is not valid for pod " + pod.getMetadata().getName());
        }
        return name;
    }

    private static String address(Node node) {
        List<NodeAddress> addresses = node.getStatus() == null || node.getStatus().getAddresses() == null
                ? List.of() : node.getStatus().getAddresses();
        return addresses.stream().filter(a -> "InternalIP".equals(a.getType())).findFirst()
                .or(() -> addresses.stream().findFirst()).map(NodeAddress::getAddress)
                .orElseThrow(() -> new ApiException(503, "ServiceUnavailable", "node " + node.getMetadata().getName()
                        + " reports no address", ApiException.Target.NONE, List.of()));
    }

    private static int port(Node node) {
        try {
            Integer port = node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort();
            return port == null || port == 0 ? DEFAULT_KUBELET_PORT : port;
        } catch (NullPointerException e) {
            return DEFAULT_KUBELET_PORT;
        }
    }

    /** Logs: a plain request whose (possibly endless) answer is streamed back. */
    private void forward(HttpServerRequest request, Target target) {
        requests.request(new RequestOptions().setMethod(request.method()).setHost(target.host()).setPort(target.port())
                        .setURI(target.pathAndQuery()))
                .compose(nodeRequest -> {
                    // A client that goes away mid-follow must not leave the node streaming.
                    request.response().closeHandler(v -> nodeRequest.reset());
                    return nodeRequest.send();
                })
                .onSuccess(nodeResponse -> {
                    request.response().setStatusCode(nodeResponse.statusCode());
                    String type = nodeResponse.getHeader("Content-Type");
                    if (type != null) {
                        request.response().putHeader("Content-Type", type);
                    }
                    request.response().setChunked(true);
                    nodeResponse.pipeTo(request.response());
                })
                .onFailure(e -> Responses.error(request.response(), unreachable(target, e)));
    }

    /** Exec, attach, port-forward: the node's 101 goes to the client, then bytes flow both ways untouched. */
    private void upgrade(HttpServerRequest request, Target target) {
        upgrades.connect(target.port(), target.host())
                .compose(node -> UpgradeClient.exchange(node, requestHead(request, target)))
                .onFailure(e -> Responses.error(request.response(), unreachable(target, e)))
                .onSuccess(answer -> {
                    if (!answer.switched()) {
                        answer.body().onComplete(body -> request.response().setStatusCode(answer.status())
                                .putHeader("Content-Type", String.valueOf(answer.headers().get("Content-Type")))
                                .end(body.succeeded() ? body.result() : Buffer.buffer()));
                        return;
                    }
                    request.response().headers().addAll(answer.headers());
                    UpgradedConnections.take(request).onFailure(e -> answer.socket().close()).onSuccess(client -> {
                        NetSocket node = answer.socket();
                        client.write(answer.rest());
                        node.pipeTo(client);
                        client.pipeTo(node);
                    });
                });
    }

    private static String requestHead(HttpServerRequest request, Target target) {
        StringBuilder head = new StringBuilder(request.method().name()).append(' ').append(target.pathAndQuery())
                .append(" HTTP/1.1\r\nHost: ").append(target.host()).append(':').append(target.port()).append("\r\n");
        request.headers().forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!DROPPED_HEADERS.contains(lower) && !lower.startsWith("impersonate-")) {
                head.append(name).append(": ").append(value).append("\r\n");
            }
        });
        if (request.method() == HttpMethod.POST && !request.headers().contains("Content-Length")) {
            head.append("Content-Length: 0\r\n");
        }
        return head.append("\r\n").toString();
    }

    private static ApiException unreachable(Target target, Throwable e) {
        if (e instanceof ApiException api) {
            return api;
        }
        return new ApiException(502, "BadGateway", "error dialing the node at " + target.host() + ":" + target.port()
                + ": " + e.getMessage(), ApiException.Target.NONE, List.of());
    }
}
