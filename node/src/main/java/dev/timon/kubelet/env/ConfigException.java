package dev.timon.kubelet.env;

/** A container's configuration cannot be built yet (missing configMap, secret or key): CreateContainerConfigError. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
