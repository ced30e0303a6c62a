package dev.timon.cri;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs functions of scripts/node-runtime.sh, the same ones the ./timon launcher uses (shared with other modules' tests through the test jar). */
public final class NodeRuntimeScript {

    private final Path repo;
    private final int registryPort;

    public NodeRuntimeScript(Path repo, int registryPort) {
        this.repo = repo;
        this.registryPort = registryPort;
    }

    /** Runs {@code function args...} in a bash that sourced the script; fails with its output unless it exits 0. */
    public String run(String function, String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("bash", "-c", "source \"$TIMON_REPO/scripts/node-runtime.sh\" && \"$@\"", "bash", function));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("TIMON_REPO", repo.toString());
        builder.environment().put("TIMON_REGISTRY_PORT", Integer.toString(registryPort));
        var process = builder.start();
        process.getOutputStream().close();
        // Output is small; reading it to the end also waits for the function (daemons it starts use their own log).
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(function + " timed out:\n" + output);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(function + " " + String.join(" ", args) + " exited "
                    + process.exitValue() + ":\n" + output);
        }
        return output;
    }
}
