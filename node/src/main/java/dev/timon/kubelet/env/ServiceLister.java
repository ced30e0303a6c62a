package dev.timon.kubelet.env;

import io.fabric8.kubernetes.api.model.Service;
import java.util.List;

/** The services a pod's environment is built from: those of its namespace and of namespace default. */
@FunctionalInterface
public interface ServiceLister {
    List<Service> forNamespace(String namespace) throws ConfigException;
}
