package dev.timon.kubelet;

import dev.timon.apimachinery.GoDuration;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The node agent's flags.
 *
 * @param nodeIp      the InternalIP to report; null picks the machine's
 * @param failSwapOn  refuse to start while swap is on (upstream's --fail-swap-on, default true)
 * @param pkiDir      the cluster CA's folder, to issue this node's serving certificate for logs/exec/port-forward;
 *                    null runs no node server
 * @param port        the node server's port, reported as the Node's kubelet endpoint (upstream's --port); a second
 *                    node agent on one machine needs its own
 * @param syncFrequency how often every pod is synced even when nothing announced a change, which refreshes its
 *                    configMap, secret and downward API volumes (upstream's --sync-frequency, default 1m)
 */
public record NodeAgentConfig(Path kubeconfig, String nodeName, Path containerdSocket, Path dataDir, String podCidr,
                              String nodeIp, boolean failSwapOn, Path pkiDir, int port, Duration syncFrequency) {

    public static final int DEFAULT_PORT = 10250;
    public static final Duration DEFAULT_SYNC_FREQUENCY = Duration.ofMinutes(1);

    private static final String USAGE = "usage: NodeAgentMain --kubeconfig K --node-name N --containerd-socket S "
            + "--data-dir D --pod-cidr C [--node-ip IP] [--fail-swap-on=false] [--pki-dir P] [--port 10250] [--sync-frequency 1m]";

    public static NodeAgentConfig fromArgs(String[] args) {
        Path kubeconfig = null;
        String nodeName = null;
        Path socket = null;
        Path dataDir = null;
        String podCidr = null;
        String nodeIp = null;
        Path pkiDir = null;
        boolean failSwapOn = true;
        int port = DEFAULT_PORT;
        Duration syncFrequency = DEFAULT_SYNC_FREQUENCY;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("--fail-swap-on")) {
                failSwapOn = !arg.equals("--fail-swap-on=false");
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("flag " + arg + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            switch (arg) {
                case "--kubeconfig" -> kubeconfig = Path.of(value);
                case "--node-name" -> nodeName = value;
                case "--containerd-socket" -> socket = Path.of(value);
                case "--data-dir" -> dataDir = Path.of(value);
                case "--pod-cidr" -> podCidr = value;
                case "--node-ip" -> nodeIp = value;
                case "--pki-dir" -> pkiDir = Path.of(value).toAbsolutePath();
                case "--port" -> port = Integer.parseInt(value);
                case "--sync-frequency" -> syncFrequency = GoDuration.parse(arg, value);
                default -> throw new IllegalArgumentException("unknown flag " + arg + "\n" + USAGE);
            }
        }
        if (kubeconfig == null || nodeName == null || socket == null || dataDir == null || podCidr == null) {
            throw new IllegalArgumentException(USAGE);
        }
        return new NodeAgentConfig(kubeconfig.toAbsolutePath(), nodeName, socket.toAbsolutePath(), dataDir.toAbsolutePath(),
                podCidr, nodeIp, failSwapOn, pkiDir, port, syncFrequency);
    }
}
