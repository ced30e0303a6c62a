package dev.timon.kubelet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Upstream's failSwapOn: memory limits and eviction cannot be trusted while the kernel may swap pods out. */
final class SwapCheck {
    private SwapCheck() {
    }

    /** Null when swap is off, else the message to refuse starting with. */
    static String problem(Path procSwaps) {
        try {
            var lines = Files.readAllLines(procSwaps);
            // The first line is a header; any further line is an active swap device or file.
            if (lines.size() > 1) {
                return "running with swap on is not supported: memory limits and eviction would not hold ("
                        + (lines.size() - 1) + " swap device(s) active in " + procSwaps + "). "
                        + "Disable swap (swapoff -a) or start the node agent with --fail-swap-on=false.";
            }
        } catch (IOException e) {
            // No /proc/swaps: no swap support in the kernel.
        }
        return null;
    }
}
