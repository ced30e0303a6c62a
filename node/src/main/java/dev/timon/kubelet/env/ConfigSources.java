package dev.timon.kubelet.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads configMaps and secrets from the API server as key -> bytes maps; null when absent. */
public final class ConfigSources {
    private final KubernetesClient client;

    public ConfigSources(KubernetesClient client) {
        this.client = client;
    }

    public Map<String, byte[]> configMap(String namespace, String name) {
        ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
        if (map == null) {
            return null;
        }
        var data = new LinkedHashMap<String, byte[]>();
        if (map.getData() != null) {
            map.getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        if (map.getBinaryData() != null) {
            map.getBinaryData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        }
        return data;
    }

    public Map<String, byte[]> secret(String namespace, String name) {
        var secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            return null;
        }
        var data = new LinkedHashMap<String, byte[]>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        }
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        return data;
    }

    /** The map, or a ConfigException naming what is missing unless it is optional (then empty). */
    public static Map<String, byte[]> require(Map<String, byte[]> data, String kind, String name, Boolean optional)
            throws ConfigException {
        if (data != null) {
            return data;
        }
        if (Boolean.TRUE.equals(optional)) {
            return Map.of();
        }
        throw new ConfigException(kind + " \"" + name + "\" not found");
    }
}
