package dev.timon.kubelet.env;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A container's environment as upstream builds it: envFrom first, then env, with $(VAR) references expanded (to
 * variables declared before, or else to service variables), then the {@link ServiceEnv service variables} the
 * container does not define itself.
 */
public final class EnvResolver {
    private final ConfigSources sources;
    private final ServiceLister services;

    public EnvResolver(ConfigSources sources, ServiceLister services) {
        this.sources = sources;
        this.services = services;
    }

    public Map<String, String> resolve(Container container, PodFields fields) throws ConfigException {
        String namespace = fields.pod().getMetadata().getNamespace();
        var serviceEnv = ServiceEnv.forPod(fields.pod(), services.forNamespace(namespace));
        var env = new LinkedHashMap<String, String>();
        // What $(VAR) may name: the service variables, overridden by those declared so far.
        var scope = new HashMap<>(serviceEnv);
        for (EnvFromSource from : container.getEnvFrom()) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            Map<String, byte[]> data;
            if (from.getConfigMapRef() != null) {
                var ref = from.getConfigMapRef();
                data = ConfigSources.require(sources.configMap(namespace, ref.getName()), "configmap", ref.getName(), ref.getOptional());
            } else if (from.getSecretRef() != null) {
                var ref = from.getSecretRef();
                data = ConfigSources.require(sources.secret(namespace, ref.getName()), "secret", ref.getName(), ref.getOptional());
            } else {
                continue;
            }
            data.forEach((k, v) -> env.put(prefix + k, new String(v, StandardCharsets.UTF_8)));
            scope.putAll(env);
        }
        for (EnvVar var : container.getEnv()) {
            // Only variables defined before this one can be referenced, as upstream.
            String value = var.getValueFrom() == null
                    ? expand(var.getValue() == null ? "" : var.getValue(), scope)
                    : value(var, container, fields, namespace);
            if (value != null) {
                env.put(var.getName(), value);
                scope.put(var.getName(), value);
            }
        }
        // The container's own variables take precedence.
        serviceEnv.forEach(env::putIfAbsent);
        return env;
    }

    private String value(EnvVar var, Container container, PodFields fields, String namespace) throws ConfigException {
        var from = var.getValueFrom();
        if (from.getFieldRef() != null) {
            return fields.field(from.getFieldRef());
        }
        if (from.getResourceFieldRef() != null) {
            return fields.resource(from.getResourceFieldRef(), container);
        }
        if (from.getConfigMapKeyRef() != null) {
            var ref = from.getConfigMapKeyRef();
            return key(ConfigSources.require(sources.configMap(namespace, ref.getName()), "configmap", ref.getName(), ref.getOptional()),
                    "configmap", ref.getName(), ref.getKey(), ref.getOptional());
        }
        if (from.getSecretKeyRef() != null) {
            var ref = from.getSecretKeyRef();
            return key(ConfigSources.require(sources.secret(namespace, ref.getName()), "secret", ref.getName(), ref.getOptional()),
                    "secret", ref.getName(), ref.getKey(), ref.getOptional());
        }
        return "";
    }

    private static String key(Map<String, byte[]> data, String kind, String name, String key, Boolean optional) throws ConfigException {
        byte[] value = data.get(key);
        if (value != null) {
            return new String(value, StandardCharsets.UTF_8);
        }
        if (Boolean.TRUE.equals(optional)) {
            return null;
        }
        throw new ConfigException("couldn't find key " + key + " in " + kind + " " + name);
    }

    /** Expands $(NAME) from {@code vars}; $$ escapes a dollar; unknown references stay as written (upstream's expansion). */
    public static String expand(String input, Map<String, String> vars) {
        if (input == null || input.indexOf('$') < 0) {
            return input;
        }
        var out = new StringBuilder();
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (c == '$' && i + 1 < input.length()) {
                char next = input.charAt(i + 1);
                if (next == '$') {
                    out.append('$');
                    i++;
                    continue;
                }
                int close = input.indexOf(')', i + 2);
                if (next == '(' && close > 0) {
                    String name = input.substring(i + 2, close);
                    String value = vars.get(name);
                    out.append(value != null ? value : input, value != null ? 0 : i, value != null ? value.length() : close + 1);
                    i = close;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }
}
