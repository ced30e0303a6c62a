package dev.timon.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs `nft -f -` with a script: one netlink transaction, applied whole or not at all. Blocking: call off event loops. */
public final class Nft {

    private static final long TIMEOUT_SECONDS = 30;

    private Nft() {
    }

    public static void apply(String script) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of("nft", "-f", "-")).redirectErrorStream(true).start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(script.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // nft exited early (a parse error): its output below says why.
        }
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("nft did not finish within " + TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
            String message = new String(output, StandardCharsets.UTF_8);
            throw new IOException("nft -f failed (" + process.exitValue() + "): "
                    + (message.length() > 2000 ? message.substring(0, 2000) + "..." : message));
        }
    }
}
