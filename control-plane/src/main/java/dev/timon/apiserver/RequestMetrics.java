package dev.timon.apiserver;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Upstream's apiserver_request_total and apiserver_request_duration_seconds (as sum and count) by verb, group,
 * version, resource, subresource and code, served at /metrics in the Prometheus text format. Recorded when the
 * response ends, so a watch counts once, when it closes, as upstream counts long-running requests.
 */
final class RequestMetrics {

    private record Labels(String verb, String group, String version, String resource, String subresource, int code) {
        String render() {
            return "{code=\"" + code + "\",group=\"" + group + "\",resource=\"" + resource + "\",subresource=\""
                    + subresource + "\",verb=\"" + verb + "\",version=\"" + version + "\"}";
        }
    }

    private record Observed(LongAdder count, DoubleAdder seconds) {
    }

    private final Map<Labels, Observed> requests = new ConcurrentHashMap<>();

    /** Counts the request when its response has been written. */
    void track(HttpServerRequest request, RequestInfo info) {
        long start = System.nanoTime();
        String verb = verb(request, info);
        request.response().endHandler(v -> {
            Labels labels = new Labels(verb, info.group(), info.version(), info.resource(),
                    info.subresource() == null ? "" : info.subresource(), request.response().getStatusCode());
            Observed observed = requests.computeIfAbsent(labels, l -> new Observed(new LongAdder(), new DoubleAdder()));
            observed.count().increment();
            observed.seconds().add((System.nanoTime() - start) / 1e9);
        });
    }

    /** The verb as upstream reports it: LIST and WATCH apart from GET, DELETECOLLECTION apart from DELETE. */
    static String verb(HttpServerRequest request, RequestInfo info) {
        HttpMethod method = request.method();
        boolean collection = info.name() == null;
        if (method.equals(HttpMethod.GET)) {
            return info.isWatch(request) ? "WATCH" : collection ? "LIST" : "GET";
        }
        if (method.equals(HttpMethod.DELETE) && collection) {
            return "DELETECOLLECTION";
        }
        return method.name();
    }

    String render() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP apiserver_request_total Counter of apiserver requests broken out for each verb, group, "
                + "version, resource, subresource and HTTP response code.\n# TYPE apiserver_request_total counter\n");
        sorted().forEach(e -> out.append("apiserver_request_total").append(e.getKey().render()).append(' ')
                .append(e.getValue().count().sum()).append('\n'));
        out.append("# HELP apiserver_request_duration_seconds Response latency in seconds for each verb, group, "
                + "version, resource, subresource and code.\n# TYPE apiserver_request_duration_seconds summary\n");
        sorted().forEach(e -> {
            String labels = e.getKey().render();
            out.append("apiserver_request_duration_seconds_sum").append(labels).append(' ')
                    .append(e.getValue().seconds().sum()).append('\n');
            out.append("apiserver_request_duration_seconds_count").append(labels).append(' ')
                    .append(e.getValue().count().sum()).append('\n');
        });
        return out.toString();
    }

    private java.util.stream.Stream<Map.Entry<Labels, Observed>> sorted() {
        return requests.entrySet().stream().sorted(Comparator.comparing(e -> e.getKey().render()));
    }
}
