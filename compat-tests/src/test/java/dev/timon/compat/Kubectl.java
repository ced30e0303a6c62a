package dev.timon.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real kubectl (the machine's, 1.32 by default) against a test cluster with a private discovery
 * cache. Output goes to files, so no pipe can fill up and block kubectl.
 */
final class Kubectl {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** What one kubectl run printed and how it exited. */
    record Result(int exitCode, String out, String err) {
        boolean ok() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    /** A started command; {@link #stop()} ends only this process. */
    record Running(Process process, Path stdout, Path stderr) {
        String out() throws IOException {
            return Files.readString(stdout, StandardCharsets.UTF_8);
        }

        String err() throws IOException {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private final Path kubeconfig;
    private final Path workDir;

    Kubectl(Path kubeconfig, Path workDir) {
        this.kubeconfig = kubeconfig;
        this.workDir = workDir;
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs kubectl to completion (60 s at most) with no input. */
    Result run(String... args) {
        return run(Map.of(), null, DEFAULT_TIMEOUT, args);
    }

    /** Runs kubectl to completion within {@code timeout} (killed, and failing, past it). */
    Result run(Map<String, String> env, String stdin, Duration timeout, String... args) {
        try {
            return finish(start(env, stdin, args), timeout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs kubectl and fails the test unless it exits 0. */
    Result ok(String... args) {
        Result result = run(args);
        org.junit.jupiter.api.Assertions.assertTrue(result.ok(), () -> String.join(" ", args) + "\n" + result);
        return result;
    }

    /** `kubectl apply -n namespace -f -` of {@code yaml}, which must succeed. */
    Result apply(String namespace, String yaml) {
        Result result = run(Map.of(), yaml, DEFAULT_TIMEOUT, "apply", "-n", namespace, "-f", "-");
        org.junit.jupiter.api.Assertions.assertTrue(result.ok(), result::toString);
        return result;
    }

    /** Starts kubectl with these arguments. */
    Running start(Map<String, String> env, String stdin, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("kubectl", "--cache-dir", workDir.resolve("kube-cache").toString()));
        command.addAll(List.of(args));
        return startCommand(command, env, stdin);
    }

    /** Runs any command line (e.g. kubectl under script(1), for a terminal) with this cluster's KUBECONFIG. */
    Running startCommand(List<String> command, Map<String, String> env, String stdin) throws IOException {
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        Path in = Files.createTempFile(workDir, "in", ".txt");
        Files.writeString(in, stdin == null ? "" : stdin);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.environment().put("HOME", workDir.toString());
        return new Running(builder.start(), out, err);
    }

    static Result finish(Running running, Duration timeout) throws IOException, InterruptedException {
        if (!running.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            running.stop();
            throw new IllegalStateException(running.process().info().commandLine().orElse("command")
                    + " did not finish within " + timeout + "; stderr: " + running.err());
        }
        return new Result(running.process().exitValue(), running.out(), running.err());
    }
}
