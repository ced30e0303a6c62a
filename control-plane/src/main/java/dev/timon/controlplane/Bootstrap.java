package dev.timon.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.apimachinery.ApiException;
import dev.timon.apimachinery.Json;
import dev.timon.registry.Registry;
import dev.timon.registry.ResourceDefinition;
import dev.timon.registry.ResourceStore;
import dev.timon.registry.WriteOptions;
import dev.timon.registry.resources.Services;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What every cluster has from its first start: the system namespaces, the `kubernetes` service and the `kube-dns`
 * service. kube-dns is created here, before any other service can be given its well-known IP; it has no selector
 * because the cluster DNS server (node module, dev.timon.dns) publishes its own EndpointSlice.
 */
final class Bootstrap {

    static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    /** The cluster DNS service; its IP is the one the node agent writes into pods' resolv.conf. */
    static final String KUBE_DNS_SERVICE = "kube-dns";
    static final String KUBE_DNS_SERVICE_IP = "10.96.0.10";

    private final Registry registry;
    private final ResourceStore store;

    Bootstrap(Registry registry, ResourceStore store) {
        this.registry = registry;
        this.store = store;
    }

    CompletableFuture<Void> run(String apiServerIp, int apiServerPort) {
        CompletableFuture<?>[] namespaces = SYSTEM_NAMESPACES.stream()
                .map(name -> ensure("", "v1", "namespaces", null,
                        Json.tree(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(namespaces).thenCompose(v -> CompletableFuture.allOf(
                ensure("", "v1", "services", "default", Json.tree(new ServiceBuilder()
                        .withNewMetadata().withName("kubernetes")
                        .withLabels(Map.of("component", "apiserver", "provider", "kubernetes")).endMetadata()
                        .withNewSpec().withClusterIP(Services.KUBERNETES_SERVICE_IP)
                        .addNewPort().withName("https").withPort(443).withProtocol("TCP")
                        .withNewTargetPort(apiServerPort).endPort().endSpec().build())),
                ensure("", "v1", "endpoints", "default", Json.tree(new EndpointsBuilder()
                        .withNewMetadata().withName("kubernetes")
                        .withLabels(Map.of("endpointslice.kubernetes.io/skip-mirror", "true")).endMetadata()
                        .addNewSubset().addNewAddress().withIp(apiServerIp).endAddress()
                        .addNewPort().withName("https").withPort(apiServerPort).withProtocol("TCP").endPort()
                        .endSubset().build())),
                // Service proxies read EndpointSlices only, so the API server's own endpoint needs one too.
                ensure("discovery.k8s.io", "v1", "endpointslices", "default", Json.tree(new EndpointSliceBuilder()
                        .withNewMetadata().withName("kubernetes")
                        .withLabels(Map.of("kubernetes.io/service-name", "kubernetes")).endMetadata()
                        .withAddressType("IPv4")
                        .addNewEndpoint().withAddresses(apiServerIp).withNewConditions().withReady(true).endConditions().endEndpoint()
                        .addNewPort().withName("https").withPort(apiServerPort).withProtocol("TCP").endPort()
                        .build())),
                ensure("", "v1", "services", "kube-system", Json.tree(kubeDnsService()))));
    }

    private static io.fabric8.kubernetes.api.model.Service kubeDnsService() {
        return new ServiceBuilder()
                .withNewMetadata().withName(KUBE_DNS_SERVICE)
                .withLabels(Map.of("k8s-app", "kube-dns", "kubernetes.io/name", "CoreDNS")).endMetadata()
                .withNewSpec().withClusterIP(KUBE_DNS_SERVICE_IP)
                .addNewPort().withName("dns").withPort(53).withProtocol("UDP").withNewTargetPort(53).endPort()
                .addNewPort().withName("dns-tcp").withPort(53).withProtocol("TCP").withNewTargetPort(53).endPort()
                .endSpec().build();
    }

    /** Creates the object unless it already exists. */
    private CompletableFuture<Void> ensure(String group, String version, String plural, String namespace, ObjectNode object) {
        ResourceDefinition<?> def = registry.find(group, version, plural).orElseThrow();
        return store.create(def, namespace, object, new WriteOptions(false, "kube-apiserver")).handle((created, error) -> {
            Throwable cause = error == null ? null : ResourceStore.unwrap(error);
            if (cause != null && !(cause instanceof ApiException api && api.code() == 409)) {
                throw new IllegalStateException("bootstrap of " + plural + " failed", cause);
            }
            return null;
        });
    }
}
