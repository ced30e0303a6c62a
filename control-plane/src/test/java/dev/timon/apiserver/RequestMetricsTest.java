package dev.timon.apiserver;

import dev.timon.controlplane.TestControlPlane;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /metrics of a real API server counts requests by verb, resource and code, with upstream's latency histogram. */
class RequestMetricsTest {

    private static final String CREATED = "{code=\"201\",group=\"\",resource=\"configmaps\",subresource=\"\",verb=\"POST\",version=\"v1\"}";
    private static final String NOT_FOUND = "{code=\"404\",group=\"\",resource=\"configmaps\",subresource=\"\",verb=\"GET\",version=\"v1\"}";

    @Test
    void countsRequestsAndTheirLatencies() throws Exception {
        try (KubernetesClient client = TestControlPlane.get().newClient()) {
            String ns = "request-metrics";
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).serverSideApply();
            String before = client.raw("/metrics");
            for (int i = 0; i < 3; i++) {
                client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata()
                        .withName("cm-" + i).endMetadata().addToData("k", "v").build()).create();
            }
            assertNull(client.configMaps().inNamespace(ns).withName("missing").get());
            String after = client.raw("/metrics");

            assertEquals(3, value(after, "apiserver_request_total" + CREATED) - value(before, "apiserver_request_total" + CREATED));
            assertEquals(1, value(after, "apiserver_request_total" + NOT_FOUND) - value(before, "apiserver_request_total" + NOT_FOUND));
            assertTrue(after.contains("# TYPE apiserver_request_duration_seconds histogram"));
            long count = value(after, "apiserver_request_duration_seconds_count" + CREATED);
            assertEquals(value(after, "apiserver_request_total" + CREATED), count);
            // Cumulative buckets: never decreasing, the last (+Inf) holding every request.
            List<Long> buckets = buckets(after, CREATED);
            assertEquals(24, buckets.size(), "upstream's 23 bounds and +Inf");
            for (int i = 1; i < buckets.size(); i++) {
                assertTrue(buckets.get(i) >= buckets.get(i - 1), () -> "buckets " + buckets);
            }
            assertEquals(count, buckets.get(buckets.size() - 1));
            assertTrue(after.contains("apiserver_request_duration_seconds_bucket{code=\"201\",group=\"\",le=\"2\","),
                    "whole bounds print as Prometheus' Go client prints them");
        }
    }

    private static long value(String metrics, String series) {
        for (String line : metrics.lines().toList()) {
            if (line.startsWith(series + " ")) {
                return (long) Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        return 0;
    }

    /** The bucket counts of one series, in the order printed. */
    private static List<Long> buckets(String metrics, String labels) {
        String inner = labels.substring(1, labels.length() - 1);
        int split = inner.indexOf(",resource=");
        Pattern bucket = Pattern.compile(Pattern.quote("apiserver_request_duration_seconds_bucket{" + inner.substring(0, split))
                + ",le=\"[^\"]+\"" + Pattern.quote(inner.substring(split) + "}") + " (\\d+)");
        List<Long> counts = new ArrayList<>();
        Matcher m = bucket.matcher(metrics);
        while (m.find()) {
            counts.add(Long.parseLong(m.group(1)));
        }
        return counts;
    }
}
