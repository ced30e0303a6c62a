package dev.timon.client;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The flags the scheduler and controller manager mains share: --kubeconfig K [--leader-elect[=true|false]]
 * [--leader-elect-resource-name LEASE].
 */
public record ComponentFlags(Path kubeconfig, boolean leaderElect, String leaseName) {

    public static ComponentFlags parse(String component, String[] args) {
        Path kubeconfig = null;
        boolean leaderElect = false;
        String leaseName = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--kubeconfig") && i + 1 < args.length) {
                kubeconfig = Path.of(args[++i]);
            } else if (arg.startsWith("--kubeconfig=")) {
                kubeconfig = Path.of(arg.substring("--kubeconfig=".length()));
            } else if (arg.equals("--leader-elect")) {
                leaderElect = true;
            } else if (arg.startsWith("--leader-elect=")) {
                leaderElect = Boolean.parseBoolean(arg.substring("--leader-elect=".length()));
            } else if (arg.equals("--leader-elect-resource-name") && i + 1 < args.length) {
                leaseName = args[++i];
            } else if (arg.startsWith("--leader-elect-resource-name=")) {
                leaseName = arg.substring("--leader-elect-resource-name=".length());
            } else {
                throw new IllegalArgumentException(component + ": unknown flag " + arg
                        + " (flags: --kubeconfig K, --leader-elect=true|false, --leader-elect-resource-name LEASE)");
            }
        }
        if (kubeconfig == null) {
            throw new IllegalArgumentException(component + ": --kubeconfig is required");
        }
        return new ComponentFlags(kubeconfig, leaderElect, leaseName);
    }

    /** The Lease to campaign for, {@code defaultName} unless renamed; null when leader election is off. */
    public String lease(String defaultName) {
        return !leaderElect ? null : leaseName != null ? leaseName : defaultName;
    }

    /** Blocks until the JVM shuts down, closing the component on the way out (which releases a held lease). */
    public static void runUntilShutdown(AutoCloseable component) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                component.close();
            } catch (Exception e) {
                // exiting anyway
            }
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
