package dev.timon.kubelet.pods;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import runtime.v1.Api.DNSConfig;

/** Pod DNS from the host's resolv.conf (cluster DNS comes later), plus the pod's own dnsConfig. */
public final class HostDns {
    private final DNSConfig host;

    private HostDns(DNSConfig host) {
        this.host = host;
    }

    public static HostDns read(Path resolvConf) {
        var builder = DNSConfig.newBuilder();
        try {
            for (String line : Files.readAllLines(resolvConf)) {
                String[] fields = line.strip().split("\\s+");
                if (fields.length < 2 || fields[0].startsWith("#")) {
                    continue;
                }
                var values = List.of(fields).subList(1, fields.length);
                switch (fields[0]) {
                    case "nameserver" -> builder.addServers(fields[1]);
                    case "search", "domain" -> builder.clearSearches().addAllSearches(values);
                    case "options" -> builder.addAllOptions(values);
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            // No resolv.conf: pods get no DNS servers, as on a host without one.
        }
        return new HostDns(builder.build());
    }

    public DNSConfig forPod(Pod pod) {
        var spec = pod.getSpec();
        var builder = "None".equals(spec.getDnsPolicy()) ? DNSConfig.newBuilder() : host.toBuilder();
        var extra = spec.getDnsConfig();
        if (extra != null) {
            builder.addAllServers(extra.getNameservers());
            var searches = new ArrayList<>(extra.getSearches());
            searches.addAll(builder.getSearchesList());
            builder.clearSearches().addAllSearches(searches);
            for (var option : extra.getOptions()) {
                builder.addOptions(option.getValue() == null ? option.getName() : option.getName() + ":" + option.getValue());
            }
        }
        return builder.build();
    }
}
