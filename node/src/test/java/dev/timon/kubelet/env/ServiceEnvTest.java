package dev.timon.kubelet.env;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceEnvTest {
    private static final Service API = service("default", "kubernetes", "10.96.0.1", "[{name: https, port: 443}]");
    private static final Service REDIS = service("shop", "redis-primary", "10.96.7.8",
            "[{port: 6379}, {name: metrics, port: 9121, protocol: TCP}, {name: gossip, port: 7000, protocol: UDP}]");
    private static final Service HEADLESS = service("shop", "db", "None", "[{port: 5432}]");
    private static final Service ELSEWHERE = service("other", "web", "10.96.1.1", "[{port: 80}]");

    private static Service service(String namespace, String name, String clusterIp, String ports) {
        return Serialization.unmarshal("""
                apiVersion: v1
                kind: Service
                metadata: {namespace: %s, name: %s}
                spec: {clusterIP: "%s", ports: %s}
                """.formatted(namespace, name, clusterIp, ports), Service.class);
    }

    private static Pod pod(Boolean enableServiceLinks) {
        return Serialization.unmarshal("""
                apiVersion: v1
                kind: Pod
                metadata: {namespace: shop, name: p}
                spec: {enableServiceLinks: %s, containers: [{name: c}]}
                """.formatted(enableServiceLinks), Pod.class);
    }

    @Test
    void serviceOfThePodsNamespaceGetsHostPortNamedPortAndDockerLinkVariables() {
        var env = ServiceEnv.forPod(pod(null), List.of(REDIS, HEADLESS, ELSEWHERE));
        assertEquals(Map.ofEntries(
                Map.entry("REDIS_PRIMARY_SERVICE_HOST", "10.96.7.8"),
                Map.entry("REDIS_PRIMARY_SERVICE_PORT", "6379"),
                Map.entry("REDIS_PRIMARY_SERVICE_PORT_METRICS", "9121"),
                Map.entry("REDIS_PRIMARY_SERVICE_PORT_GOSSIP", "7000"),
                Map.entry("REDIS_PRIMARY_PORT", "tcp://10.96.7.8:6379"),
                Map.entry("REDIS_PRIMARY_PORT_6379_TCP", "tcp://10.96.7.8:6379"),
                Map.entry("REDIS_PRIMARY_PORT_6379_TCP_PROTO", "tcp"),
                Map.entry("REDIS_PRIMARY_PORT_6379_TCP_PORT", "6379"),
                Map.entry("REDIS_PRIMARY_PORT_6379_TCP_ADDR", "10.96.7.8"),
                Map.entry("REDIS_PRIMARY_PORT_9121_TCP", "tcp://10.96.7.8:9121"),
                Map.entry("REDIS_PRIMARY_PORT_9121_TCP_PROTO", "tcp"),
                Map.entry("REDIS_PRIMARY_PORT_9121_TCP_PORT", "9121"),
                Map.entry("REDIS_PRIMARY_PORT_9121_TCP_ADDR", "10.96.7.8"),
                Map.entry("REDIS_PRIMARY_PORT_7000_UDP", "udp://10.96.7.8:7000"),
                Map.entry("REDIS_PRIMARY_PORT_7000_UDP_PROTO", "udp"),
                Map.entry("REDIS_PRIMARY_PORT_7000_UDP_PORT", "7000"),
                Map.entry("REDIS_PRIMARY_PORT_7000_UDP_ADDR", "10.96.7.8")), env);
    }

    @Test
    void apiServiceFromDefaultIsAlwaysThereEvenWithoutServiceLinks() {
        var env = ServiceEnv.forPod(pod(false), List.of(API, REDIS));
        assertEquals("10.96.0.1", env.get("KUBERNETES_SERVICE_HOST"));
        assertEquals("443", env.get("KUBERNETES_SERVICE_PORT"));
        assertEquals("443", env.get("KUBERNETES_SERVICE_PORT_HTTPS"));
        assertEquals("tcp://10.96.0.1:443", env.get("KUBERNETES_PORT"));
        assertEquals(null, env.get("REDIS_PRIMARY_SERVICE_HOST"));
    }
}
