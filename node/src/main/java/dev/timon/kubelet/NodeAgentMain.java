package dev.timon.kubelet;

import dev.timon.client.ComponentFlags;
import java.nio.file.Path;


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
        // Pods keep running when the agent stops: a restarted agent adopts them.
        ComponentFlags.runUntilShutdown(NodeAgent.start(config));
    }
}
