package dev.timon.kubelet.env;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The service environment variables upstream's kubelet gives every container (getServiceEnvVarMap and
 * envvars.FromServices): for each service of the pod's namespace (unless enableServiceLinks is false) and for the
 * {@code kubernetes} service of namespace default (always), {@code <NAME>_SERVICE_HOST}, {@code <NAME>_SERVICE_PORT},
 * {@code <NAME>_SERVICE_PORT_<PORT NAME>} and the Docker-link style {@code <NAME>_PORT...} variables. Services
 * without a cluster IP (headless) get none.
 */
public final class ServiceEnv {
    /** Where the API server's own service lives, and its name (upstream's masterServiceNamespace and masterServices). */
    static final String API_SERVICE_NAMESPACE = "default";
    static final String API_SERVICE_NAME = "kubernetes";

    private ServiceEnv() {
    }

    /** The variables for {@code pod}, given the services of its namespace and of namespace default. */
    public static Map<String, String> forPod(Pod pod, Collection<Service> services) {
        String namespace = pod.getMetadata().getNamespace();
        boolean serviceLinks = !Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks());
        // Keyed by name: a same-named service of the pod's own namespace wins over default's kubernetes, as upstream.
        var byName = new TreeMap<String, Service>();
        for (Service service : services) {
            var meta = service.getMetadata();
            if (API_SERVICE_NAMESPACE.equals(meta.getNamespace()) && API_SERVICE_NAME.equals(meta.getName())) {
                byName.putIfAbsent(meta.getName(), service);
            } else if (namespace.equals(meta.getNamespace()) && serviceLinks) {
                byName.put(meta.getName(), service);
            }
        }
        var env = new LinkedHashMap<String, String>();
        byName.values().forEach(service -> addVariables(env, service));
        return env;
    }

    private static void addVariables(Map<String, String> env, Service service) {
        String ip = service.getSpec().getClusterIP();
        var ports = service.getSpec().getPorts();
        if (ip == null || ip.isEmpty() || "None".equals(ip) || ports == null || ports.isEmpty()) {
            return;
        }
        String prefix = variableName(service.getMetadata().getName());
        env.put(prefix + "_SERVICE_HOST", ip);
        env.put(prefix + "_SERVICE_PORT", Integer.toString(ports.get(0).getPort()));
        for (var port : ports) {
            if (port.getName() != null && !port.getName().isEmpty()) {
                env.put(prefix + "_SERVICE_PORT_" + variableName(port.getName()), Integer.toString(port.getPort()));
            }
        }
        String hostPort = ip.contains(":") ? "[" + ip + "]" : ip;
        for (int i = 0; i < ports.size(); i++) {
            var port = ports.get(i);
            String protocol = port.getProtocol() == null || port.getProtocol().isEmpty() ? "TCP" : port.getProtocol();
            String url = protocol.toLowerCase(Locale.ROOT) + "://" + hostPort + ":" + port.getPort();
            if (i == 0) {
                // Docker links single out the first port.
                env.put(prefix + "_PORT", url);
            }
            String portPrefix = prefix + "_PORT_" + port.getPort() + "_" + protocol.toUpperCase(Locale.ROOT);
            env.put(portPrefix, url);
            env.put(portPrefix + "_PROTO", protocol.toLowerCase(Locale.ROOT));
            env.put(portPrefix + "_PORT", Integer.toString(port.getPort()));
            env.put(portPrefix + "_ADDR", ip);
        }
    }

    /** Upstream's makeEnvVariableName: upper case, dashes to underscores. */
    static String variableName(String name) {
        return name.replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
