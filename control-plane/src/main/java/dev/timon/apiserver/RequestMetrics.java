package dev.timon.apiserver;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Upstream's apiserver_request_total and apiserver_request_duration_seconds (a histogram with upstream's buckets) by
 * verb, group, version, resource, subresource and code, served at /metrics in the Prometheus text format. Recorded
 * when the response ends, so a watch counts once, when it closes, as upstream counts long-running requests.
 */
final class RequestMetrics {

    private record Labels(String verb, String group, String version, String resource, String subresource, int code) {
        String render() {
            return render(null);
        }

        /** The labels in Prometheus' form, with a bucket's {@code le} label when one is given. */
        String render(String le) {
            return "{code=\"" + code + "\",group=\"" + group + "\"" + (le == null ? "" : ",le=\"" + le + "\"")
                    + ",resource=\"" + resource + "\",subresource=\"" + subresource + "\",verb=\"" + verb
                    + "\",version=\"" + version + "\"}";
        }
    }

    /** Upper bounds of the duration buckets, in seconds: upstream's for apiserver_request_duration_seconds. */
    private static final double[] BUCKETS = {0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6,
        8, 10, 15, 20, 30, 45, 60};

    /** Requests counted once each: {@code buckets[i]} holds those that took longer than bucket i-1 and at most i. */
    private record Observed(LongAdder count, DoubleAdder seconds, LongAdder[] buckets) {
        static Observed empty() {
            LongAdder[] buckets = new LongAdder[BUCKETS.length];
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
            return new Observed(new LongAdder(), new DoubleAdder(), buckets);
        }

        void observe(double took) {
            count.increment();
            seconds.add(took);
            int bucket = 0;
            while (bucket < BUCKETS.length && took > BUCKETS[bucket]) {
                bucket++;
            }
            if (bucket < BUCKETS.length) {
                buckets[bucket].increment();
            }
        }
    }

    private final Map<Labels, Observed> requests = new ConcurrentHashMap<>();

    /** Counts the request when its response has been written. */
    void track(HttpServerRequest request, RequestInfo info) {
        long start = System.nanoTime();
        String verb = verb(request, info);
        request.response().endHandler(v -> {
            Labels labels = new Labels(verb, info.group(), info.version(), info.resource(),
                    info.subresource() == null ? "" : info.subresource(), request.response().getStatusCode());
            requests.computeIfAbsent(labels, l -> Observed.empty()).observe((System.nanoTime() - start) / 1e9);
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

    /** A bucket bound as Prometheus' Go client prints it: 2, not 2.0. */
    private static String bound(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }

    String render() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP apiserver_request_total Counter of apiserver requests broken out for each verb, group, "
                + "version, resource, subresource and HTTP response code.\n# TYPE apiserver_request_total counter\n");
        sorted().forEach(e -> out.append("apiserver_request_total").append(e.getKey().render()).append(' ')
                .append(e.getValue().count().sum()).append('\n'));
        out.append("# HELP apiserver_request_duration_seconds Response latency distribution in seconds for each verb, "
                + "group, version, resource, subresource and code.\n# TYPE apiserver_request_duration_seconds histogram\n");
        sorted().forEach(e -> {
            Labels key = e.getKey();
            Observed observed = e.getValue();
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += observed.buckets()[i].sum();
                out.append("apiserver_request_duration_seconds_bucket").append(key.render(bound(BUCKETS[i])))
                        .append(' ').append(cumulative).append('\n');
            }
            long count = observed.count().sum();
            out.append("apiserver_request_duration_seconds_bucket").append(key.render("+Inf")).append(' ').append(count).append('\n');
            out.append("apiserver_request_duration_seconds_sum").append(key.render()).append(' ')
                    .append(observed.seconds().sum()).append('\n');
            out.append("apiserver_request_duration_seconds_count").append(key.render()).append(' ').append(count).append('\n');
        });
        return out.toString();
    }

    private java.util.stream.Stream<Map.Entry<Labels, Observed>> sorted() {
        return requests.entrySet().stream().sorted(Comparator.comparing(e -> e.getKey().render()));
    }
}
