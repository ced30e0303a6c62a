package dev.timon.kubelet.api;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The few API calls the typed client does not offer as the kubelet needs them: a JSON merge patch of a
 * status subresource, and a delete with a uid precondition. They go through the client's own HTTP client, so
 * authentication and TLS are the kubeconfig's.
 */
public final class ApiRequests {
    private static final long TIMEOUT_SECONDS = 30;

    private final KubernetesClient client;

    public ApiRequests(KubernetesClient client) {
        this.client = client;
    }

    public static String podPath(String namespace, String name) {
        return "api/v1/namespaces/" + namespace + "/pods/" + name;
    }

    /** PATCH {path}/status with {"status": status} as a JSON merge patch (lists are replaced whole). */
    public void patchStatus(String path, Object status) {
        String body = client.getKubernetesSerialization().asJson(Map.of("status", status));
        send("PATCH", path + "/status", "application/merge-patch+json", body, false);
    }

    /** DELETE with gracePeriodSeconds=0 and a uid precondition; a pod already gone is fine. */
    public void deleteNow(String path, String uid) {
        String body = "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0,\"preconditions\":{\"uid\":\""
                + uid + "\"}}";
        send("DELETE", path, "application/json", body, true);
    }

    private void send(String method, String path, String contentType, String body, boolean notFoundOk) {
        var http = client.getHttpClient();
        String url = client.getMasterUrl().toString().replaceAll("/+$", "") + "/" + path;
        var request = http.newHttpRequestBuilder().uri(url).method(method, contentType, body).build();
        try {
            var response = http.sendAsync(request, String.class).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            int code = response.code();
            if ((code == 404 || code == 409) && notFoundOk) {
                return;
            }
            if (code / 100 != 2) {
                throw new KubernetesClientException(method + " " + path + ": HTTP " + code + ": " + response.body(), code, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException(method + " " + path + " interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new KubernetesClientException(method + " " + path + ": " + e.getMessage(), e);
        }
    }
}
