package dev.timon.registry.resources;

import dev.timon.registry.printers.ServiceAccountColumns;
import dev.timon.registry.printers.SecretColumns;
import dev.timon.registry.printers.ConfigMapColumns;
import dev.timon.apimachinery.FieldErrors;
import dev.timon.registry.ResourceDefinition;
import dev.timon.registry.ResourceStrategy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** core/v1 configmaps, secrets and serviceaccounts: configuration a pod reads. */
public final class ConfigResources {

    private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

    private ConfigResources() {
    }

    public static ResourceDefinition<ConfigMap> configMaps() {
        return ResourceDefinition.of(ConfigMap.class, "", "v1", "ConfigMap", "configmaps")
                .shortNames("cm")
                .columns(ConfigMapColumns.columns())
                .strategy(new ResourceStrategy<>() {
                    @Override
                    public void validate(ConfigMap configMap, FieldErrors errors) {
                        validateKeys(configMap.getData(), "data", errors);
                        validateKeys(configMap.getBinaryData(), "binaryData", errors);
                    }
                })
                .build();
    }

    public static ResourceDefinition<Secret> secrets() {
        return ResourceDefinition.of(Secret.class, "", "v1", "Secret", "secrets")
                .columns(SecretColumns.columns())
                .strategy(new ResourceStrategy<>() {
                    /** stringData is write-only: it is folded into data, base64-encoded, and never stored. */
                    @Override
                    public void applyDefaults(Secret secret) {
                        if (secret.getType() == null || secret.getType().isEmpty()) {
                            secret.setType("Opaque");
                        }
                        if (secret.getStringData() != null && !secret.getStringData().isEmpty()) {
                            Map<String, String> data = secret.getData() == null ? new HashMap<>() : new HashMap<>(secret.getData());
                            secret.getStringData().forEach((k, v) -> data.put(k,
                                    Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
                            secret.setData(data);
                        }
                        secret.setStringData(null);
                    }

                    @Override
                    public void validate(Secret secret, FieldErrors errors) {
                        validateKeys(secret.getData(), "data", errors);
                    }

                    @Override
                    public void validateUpdate(Secret secret, Secret old, FieldErrors errors) {
                        if (!Objects.equals(secret.getType(), old.getType())) {
                            errors.immutable("type", secret.getType());
                        }
                        if (Boolean.TRUE.equals(old.getImmutable()) && !Objects.equals(secret.getData(), old.getData())) {
                            errors.forbidden("data", "field is immutable when `immutable` is set");
                        }
                    }

                    @Override
                    public Map<String, String> selectableFields(Secret secret) {
                        return Map.of("type", Objects.toString(secret.getType(), ""));
                    }

                    @Override
                    public List<String> selectableFieldNames() {
                        return List.of("type");
                    }
                })
                .build();
    }

    public static ResourceDefinition<ServiceAccount> serviceAccounts() {
        return ResourceDefinition.of(ServiceAccount.class, "", "v1", "ServiceAccount", "serviceaccounts")
                .shortNames("sa")
                .columns(ServiceAccountColumns.columns())
                .build();
    }

    private static void validateKeys(Map<String, String> data, String path, FieldErrors errors) {
        if (data == null) {
            return;
        }
        for (String key : data.keySet()) {
            if (!CONFIG_KEY.matcher(key).matches() || key.length() > 253) {
                errors.invalid(path, key, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
                        + "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
            }
        }
    }

}
