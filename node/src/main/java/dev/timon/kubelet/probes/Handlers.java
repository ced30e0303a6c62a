package dev.timon.kubelet.probes;

import dev.timon.cri.CriClient;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.SleepAction;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;

/**
 * Runs probe and lifecycle-hook actions against a container: exec through CRI ExecSync, httpGet to the pod IP
 * (or the given host), tcpSocket by connecting. Calls block the calling thread, bounded by the timeout; callers
 * run them on worker threads, never on an event loop.
 */
public final class Handlers {
    /** What an action gave: success and, when it failed, why (the text upstream puts into events). */
    public record Outcome(boolean success, String message) {
        static Outcome ok() {
            return new Outcome(true, "");
        }
    }

    /** The container an action runs against. */
    public record Target(Container container, String containerId, String podIp) {
    }

    private final CriClient cri;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    public Handlers(CriClient cri) {
        this.cri = cri;
    }

    public Outcome run(ExecAction exec, HTTPGetAction httpGet, TCPSocketAction tcp, SleepAction sleep, Target target, Duration timeout) {
        try {
            if (exec != null) {
                return exec(exec, target, timeout);
            }
            if (httpGet != null) {
                return httpGet(httpGet, target, timeout);
            }
            if (tcp != null) {
                return tcp(tcp, target, timeout);
            }
            if (sleep != null) {
                Thread.sleep(Math.min(sleep.getSeconds(), timeout.toSeconds()) * 1000);
                return Outcome.ok();
            }
            return new Outcome(false, "no action given");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, "interrupted");
        }
    }

    private Outcome exec(ExecAction exec, Target target, Duration timeout) {
        try {
            var response = cri.execSync(target.containerId(), exec.getCommand(), timeout).join();
            if (response.getExitCode() == 0) {
                return Outcome.ok();
            }
            String output = response.getStdout().toString(StandardCharsets.UTF_8) + response.getStderr().toString(StandardCharsets.UTF_8);
            return new Outcome(false, "command " + exec.getCommand() + " exited with " + response.getExitCode()
                    + (output.isBlank() ? "" : ": " + output.strip()));
        } catch (CompletionException e) {
            return new Outcome(false, String.valueOf(e.getCause() == null ? e : e.getCause().getMessage()));
        }
    }

    private Outcome httpGet(HTTPGetAction action, Target target, Duration timeout) throws InterruptedException {
        String host = action.getHost() == null || action.getHost().isEmpty() ? target.podIp() : action.getHost();
        String scheme = action.getScheme() == null ? "http" : action.getScheme().toLowerCase();
        String path = action.getPath() == null || action.getPath().isEmpty() ? "/" : action.getPath();
        int port = port(action.getPort(), target.container());
        var uri = URI.create(scheme + "://" + host + ":" + port + (path.startsWith("/") ? path : "/" + path));
        var request = HttpRequest.newBuilder(uri).timeout(timeout).GET().header("User-Agent", "kube-probe/1.32");
        for (var header : action.getHttpHeaders()) {
            request.header(header.getName(), header.getValue());
        }
        try {
            int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            return status >= 200 && status < 400 ? Outcome.ok() : new Outcome(false, "HTTP probe failed with statuscode: " + status);
        } catch (IOException | IllegalArgumentException e) {
            return new Outcome(false, "Get \"" + uri + "\": " + e);
        }
    }

    private Outcome tcp(TCPSocketAction action, Target target, Duration timeout) {
        String host = action.getHost() == null || action.getHost().isEmpty() ? target.podIp() : action.getHost();
        int port = port(action.getPort(), target.container());
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            return Outcome.ok();
        } catch (IOException e) {
            return new Outcome(false, "dial tcp " + host + ":" + port + ": " + e.getMessage());
        }
    }

    /** A numeric port, or a named container port. */
    static int port(IntOrString port, Container container) {
        if (port == null) {
            return 80;
        }
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        String name = port.getStrVal();
        return container.getPorts().stream().filter(p -> name.equals(p.getName())).map(p -> p.getContainerPort())
                .findFirst().orElseGet(() -> Integer.parseInt(name));
    }
}
