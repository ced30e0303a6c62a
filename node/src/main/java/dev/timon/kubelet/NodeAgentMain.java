package dev.timon.kubelet;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Command line entry of the node agent; see {@link NodeAgentConfig} for the flags. */
public final class NodeAgentMain {
    private NodeAgentMain() {
    }

    public static void main(String[] args) throws Exception {
        NodeAgentConfig config;
        try {
            config = NodeAgentConfig.fromArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        String swap = SwapCheck.problem(Path.of("/proc/swaps"));
        if (swap != null) {
            if (config.failSwapOn()) {
                System.err.println("node agent: " + swap);
                System.exit(1);
            }
            System.err.println("node agent: warning: swap is on, running anyway (--fail-swap-on=false)");
        }
        var agent = NodeAgent.start(config);
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Pods keep running: a restarted agent adopts them.
            agent.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
