package dev.timon.controlplane;

import dev.timon.apimachinery.GoDuration;
import dev.timon.registry.resources.BuiltinResources;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run the control plane.
 *
 * @param dataDir       state folder (.timon): pki/ and the kubeconfig live there
 * @param etcdEndpoints comma-separated etcd client URLs
 * @param bindAddress   address the API server listens on
 * @param securePort    its HTTPS port
 * @param eventTtl      how long an event lives after its last write (upstream's --event-ttl)
 */
public record ControlPlaneConfig(Path dataDir, String etcdEndpoints, String bindAddress, int securePort,
                                 Duration eventTtl) {

    public ControlPlaneConfig(Path dataDir, String etcdEndpoints, String bindAddress, int securePort) {
        this(dataDir, etcdEndpoints, bindAddress, securePort, BuiltinResources.DEFAULT_EVENT_TTL);
    }

    public static ControlPlaneConfig fromArgs(String[] args) {
        Path dataDir = Path.of(".timon");
        String etcd = "http://127.0.0.1:2479";
        String bind = "127.0.0.1";
        int port = 6443;
        Duration eventTtl = BuiltinResources.DEFAULT_EVENT_TTL;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(value);
                case "--etcd-servers" -> etcd = value;
                case "--bind-address" -> bind = value;
                case "--secure-port" -> port = Integer.parseInt(value);
                case "--event-ttl" -> eventTtl = GoDuration.parse(args[i], value);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]
                        + " (flags: --data-dir, --etcd-servers, --bind-address, --secure-port, --event-ttl)");
            }
            i++;
        }
        return new ControlPlaneConfig(dataDir.toAbsolutePath(), etcd, bind, port, eventTtl);
    }
}
