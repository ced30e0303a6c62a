package dev.timon.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Services end to end on a real node: real containerd and node agent, the service proxy in its own nftables table
 * and the cluster DNS, reached from the host and from pods with the real kubectl. Traffic stays on this machine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ServiceRoutingTest {
    private static final String NS = "routing";
    private static final String STS_NS = "routing-sts";
    private static final String TABLE = "timon-proxy-e2e";
    private static final int DNS_PORT = 1153;
    private static final Duration WAIT = Duration.ofSeconds(90);

    /** busybox httpd answering with its own hostname (the pod's name) on 8080. */
    private static final String HTTPD = """
            image: busybox
            command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]
            """;

    private NodeCluster cluster;
    private NodeServices services;
    private Kubectl kubectl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private String clusterIp;
    private Set<String> backends;

    @BeforeAll
    void start() throws Exception {
        cluster = new NodeCluster(NodeCluster.SERVICES_TEST);
        cluster.start();
        services = NodeServices.start(cluster, TABLE, DNS_PORT);
        kubectl = new Kubectl(cluster.kubeconfig(), cluster.home.resolve("kubectl"));
        kubectl.ok("create", "namespace", NS);
        kubectl.ok("create", "namespace", STS_NS);
        kubectl.apply(NS, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web, role: replica}}
                  template:
                    metadata: {labels: {app: web, role: replica}}
                    spec:
                      terminationGracePeriodSeconds: 5
                      containers:
                      - name: httpd
                """ + HTTPD.indent(8) + """
                        readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  type: NodePort
                  selector: {app: web}
                  ports: [{name: http, port: 80, targetPort: 8080}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web-pods}
                spec:
                  clusterIP: None
                  selector: {app: web, role: replica}
                  ports: [{name: http, port: 8080}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: client, labels: {role: client}}
                spec:
                  terminationGracePeriodSeconds: 0
                  containers:
                  - {name: client, image: busybox, command: ["sleep", "3600"]}
                """);
        backends = Set.copyOf(awaitReady("app=web,role=replica", 2));
        awaitReady("role=client", 1);
        clusterIp = cluster.client.services().inNamespace(NS).withName("web").get().getSpec().getClusterIP();
        awaitRouted();
    }

    @AfterAll
    void stop() throws Exception {
        try (var closingCluster = cluster; var closingServices = services) {
            // Both close in reverse order: the proxy and DNS first, then the cluster.
        }
    }

    @Test
    @Order(1)
    void clusterIpFromTheHostReachesBothBackends() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            seen.add(get("http://" + clusterIp + "/"));
        }
        assertEquals(backends, seen);
    }

    @Test
    @Order(2)
    void clusterIpFromAPodReachesBothBackends() {
        assertEquals(backends, answersFromClient("http://" + clusterIp));
    }

    @Test
    @Order(3)
    void nodePortAnswersOnLoopback() {
        int nodePort = cluster.client.services().inNamespace(NS).withName("web").get().getSpec().getPorts().get(0).getNodePort();
        assertTrue(backends.contains(get("http://127.0.0.1:" + nodePort + "/")));
    }

    @Test
    @Order(4)
    void serviceNamesResolveFromAPod() {
        assertEquals(backends, answersFromClient("http://web." + NS + ".svc.cluster.local"));
        // The namespace's search path completes the short name.
        assertTrue(backends.containsAll(answersFromClient("http://web")));
    }

    @Test
    @Order(5)
    void headlessServiceResolvesToPodIps() {
        String answer = exec("nslookup", "web-pods." + NS + ".svc.cluster.local");
        for (String ip : podIps("app=web,role=replica")) {
            assertTrue(answer.contains(ip), () -> ip + " missing from\n" + answer);
        }
        assertFalse(answer.contains(clusterIp), answer);
    }

    @Test
    @Order(6)
    void statefulSetPodsResolveByHostname() {
        kubectl.apply(STS_NS, """
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  clusterIP: None
                  selector: {app: sts}
                  ports: [{name: http, port: 8080}]
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: web}
                spec:
                  serviceName: web
                  replicas: 1
                  selector: {matchLabels: {app: sts}}
                  template:
                    metadata: {labels: {app: sts}}
                    spec:
                      terminationGracePeriodSeconds: 0
                      containers:
                      - name: httpd
                """ + HTTPD.indent(8));
        Pod pod = Await.until("web-0 running with an IP", WAIT,
                () -> cluster.client.pods().inNamespace(STS_NS).withName("web-0").get(),
                p -> p != null && p.getStatus().getPodIP() != null);
        String name = "web-0.web." + STS_NS + ".svc.cluster.local";
        String answer = Await.until(name + " resolves", WAIT, () -> kubectl.run("exec", "-n", NS, "client", "--",
                "nslookup", name), r -> r.ok()).out();
        assertTrue(answer.contains(pod.getStatus().getPodIP()), answer);
    }

    @Test
    @Order(7)
    void unreadyPodReceivesNoTraffic() {
        kubectl.apply(NS, """
                apiVersion: v1
                kind: Pod
                metadata: {name: unready, labels: {app: web}}
                spec:
                  terminationGracePeriodSeconds: 0
                  containers:
                  - name: httpd
                """ + HTTPD.indent(4) + """
                    readinessProbe: {exec: {command: ["false"]}, periodSeconds: 1}
                """);
        // Running and listed by the endpoints controller as not ready: the proxy has seen it and must leave it out.
        String ip = Await.until("unready pod running", WAIT,
                () -> cluster.client.pods().inNamespace(NS).withName("unready").get(),
                p -> p != null && "Running".equals(p.getStatus().getPhase()) && p.getStatus().getPodIP() != null)
                .getStatus().getPodIP();
        Await.until("unready pod listed as not ready", WAIT, () -> listedNotReady(ip));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            seen.add(get("http://" + clusterIp + "/"));
        }
        assertEquals(backends, seen);
        kubectl.ok("delete", "pod", "-n", NS, "unready", "--wait=true");
    }

    @Test
    @Order(8)
    void scalingDownDrainsTheRemovedPodWithoutFailedRequests() throws Exception {
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<String> answers = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        Thread load = new Thread(() -> {
            while (running.get()) {
                try {
                    answers.add(send("http://" + clusterIp + "/"));
                } catch (IOException e) {
                    failures.add(e.toString());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "scale-down-load");
        load.start();
        try {
            kubectl.ok("scale", "-n", NS, "deployment/web", "--replicas=1");
            List<String> left = Await.until("one web pod left", WAIT, () -> podNames("app=web,role=replica"), p -> p.size() == 1);
            int before = answers.size();
            Await.until("requests after the scale-down", WAIT, () -> answers.size() > before + 20);
            running.set(false);
            load.join(10_000);
            assertEquals(List.of(), failures, "failed requests during the scale-down");
            assertEquals(Set.copyOf(left), Set.copyOf(answers.subList(before + 1, answers.size())));
        } finally {
            running.set(false);
            load.join(10_000);
        }
    }

    /** Waits until the service answers from the host, as the proxy programs its table after the pods are ready. */
    private void awaitRouted() {
        Await.until("service " + clusterIp + " answers", WAIT, () -> {
            try {
                return backends.contains(send("http://" + clusterIp + "/"));
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    private boolean listedNotReady(String ip) {
        return cluster.client.resources(EndpointSlice.class).inNamespace(NS).withLabel("kubernetes.io/service-name", "web")
                .list().getItems().stream().flatMap(s -> s.getEndpoints().stream())
                .anyMatch(e -> e.getAddresses().contains(ip) && Boolean.FALSE.equals(e.getConditions().getReady()));
    }

    /** Twenty requests from the client pod, in one exec; each must succeed. */
    private Set<String> answersFromClient(String url) {
        String out = exec("sh", "-c", "for i in $(seq 20); do timeout 5 wget -qO- " + url + " || exit 1; done");
        return out.lines().map(String::trim).filter(l -> !l.isEmpty()).collect(Collectors.toSet());
    }

    private String exec(String... command) {
        List<String> args = new ArrayList<>(List.of("exec", "-n", NS, "client", "--"));
        args.addAll(List.of(command));
        Kubectl.Result result = kubectl.run(Map.of(), null, Duration.ofSeconds(120), args.toArray(String[]::new));
        assertTrue(result.ok(), () -> String.join(" ", command) + "\n" + result);
        return result.out();
    }

    private String get(String url) {
        try {
            return send(url);
        } catch (IOException e) {
            throw new AssertionError("GET " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** One GET; busybox httpd answers one request per connection, so each goes through the DNAT afresh. */
    private String send(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " from " + url);
        }
        return response.body().trim();
    }

    /** Names of the ready pods with these labels, once there are {@code count}. */
    private List<String> awaitReady(String selector, int count) {
        return Await.until(count + " ready pods " + selector, WAIT, () -> cluster.client.pods().inNamespace(NS)
                        .withLabelSelector(selector).list().getItems().stream().filter(ServiceRoutingTest::ready)
                        .map(p -> p.getMetadata().getName()).toList(),
                names -> names.size() == count);
    }

    private List<String> podNames(String selector) {
        return pods(selector).stream().map(p -> p.getMetadata().getName()).toList();
    }

    private List<String> podIps(String selector) {
        return pods(selector).stream().map(p -> p.getStatus().getPodIP()).toList();
    }

    private List<Pod> pods(String selector) {
        return cluster.client.pods().inNamespace(NS).withLabelSelector(selector).list().getItems();
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }
}
