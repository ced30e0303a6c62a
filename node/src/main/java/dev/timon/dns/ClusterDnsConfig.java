package dev.timon.dns;

import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.fabric8.kubernetes.api.model.PodSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The contract between the cluster DNS and the node agent: where pods find the cluster DNS and which search path
 * they get. The node agent calls {@link #forPod} to write a sandbox's resolv.conf.
 */
public final class ClusterDnsConfig {

    /** The kube-dns Service's cluster IP (created by the control plane's Bootstrap). */
    public static final String SERVICE_IP = "10.96.0.10";
    public static final String DOMAIN = "cluster.local";
    public static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

    /** A resolv.conf's content: nameserver lines, the search path and option lines (e.g. "ndots:5"). */
    public record ResolvConf(List<String> nameservers, List<String> searches, List<String> options) {

        /** Reads a resolv.conf; a missing file is an empty configuration. */
        public static ResolvConf read(Path file) throws IOException {
            List<String> nameservers = new ArrayList<>();
            List<String> searches = new ArrayList<>();
            List<String> options = new ArrayList<>();
            if (!Files.exists(file)) {
                return new ResolvConf(nameservers, searches, options);
            }
            for (String line : Files.readAllLines(file)) {
                String[] words = line.trim().split("\\s+");
                if (words.length < 2 || words[0].startsWith("#") || words[0].startsWith(";")) {
                    continue;
                }
                List<String> values = List.of(words).subList(1, words.length);
                switch (words[0]) {
                    case "nameserver" -> nameservers.add(words[1]);
                    case "search", "domain" -> {
                        searches.clear(); // the last search or domain line wins, as in the C library
                        searches.addAll(values);
                    }
                    case "options" -> options.addAll(values);
                    default -> { }
                }
            }
            return new ResolvConf(List.copyOf(nameservers), List.copyOf(searches), List.copyOf(options));
        }
    }

    private ClusterDnsConfig() {
    }

    /** What ClusterFirst gives a pod in the namespace: the cluster DNS, the namespace's search path, ndots:5. */
    public static ResolvConf clusterFirst(String namespace) {
        return new ResolvConf(List.of(SERVICE_IP),
                List.of(namespace + ".svc." + DOMAIN, "svc." + DOMAIN, DOMAIN), List.of("ndots:5"));
    }

    /**
     * A pod's resolv.conf by its dnsPolicy, as the kubelet builds it: ClusterFirst (the default; host-network pods
     * get the host's configuration unless ClusterFirstWithHostNet), Default (the host's), None (only
     * spec.dnsConfig); spec.dnsConfig's nameservers, searches and options are added in every case.
     */
    public static ResolvConf forPod(String namespace, PodSpec spec, ResolvConf host) {
        String policy = spec.getDnsPolicy() == null ? "ClusterFirst" : spec.getDnsPolicy();
        boolean hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());
        ResolvConf base = switch (policy) {
            case "None" -> new ResolvConf(List.of(), List.of(), List.of());
            case "Default" -> host;
            case "ClusterFirstWithHostNet" -> clusterFirst(namespace);
            default -> hostNetwork ? host : clusterFirst(namespace);
        };
        PodDNSConfig extra = spec.getDnsConfig();
        if (extra == null) {
            return base;
        }
        List<String> options = new ArrayList<>(base.options());
        if (extra.getOptions() != null) {
            for (PodDNSConfigOption option : extra.getOptions()) {
                // A pod's option replaces the base option of the same name (ndots:2 overrides ndots:5).
                options.removeIf(o -> o.split(":", 2)[0].equals(option.getName()));
                options.add(option.getValue() == null ? option.getName() : option.getName() + ":" + option.getValue());
            }
        }
        return new ResolvConf(merged(base.nameservers(), extra.getNameservers()),
                merged(base.searches(), extra.getSearches()), List.copyOf(options));
    }

    private static List<String> merged(List<String> base, List<String> extra) {
        LinkedHashSet<String> all = new LinkedHashSet<>(base);
        if (extra != null) {
            all.addAll(extra);
        }
        return List.copyOf(all);
    }
}
