package dev.timon.client;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** The flags the scheduler and controller manager mains share: --kubeconfig K [--leader-elect[=true|false]]. */
public record ComponentFlags(Path kubeconfig, boolean leaderElect) {

    public static ComponentFlags parse(String component, String[] args) {
        Path kubeconfig = null;
        boolean leaderElect = false;
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
            } else {
                throw new IllegalArgumentException(component + ": unknown flag " + arg
                        + " (flags: --kubeconfig K, --leader-elect=true|false)");
            }
        }
        if (kubeconfig == null) {
            throw new IllegalArgumentException(component + ": --kubeconfig is required");
        }
        return new ComponentFlags(kubeconfig, leaderElect);
    }

    /** Blocks until the JVM shuts down, closing the component on the way out (which releases a held lease). */
    public void runUntilShutdown(AutoCloseable component) throws InterruptedException {
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
