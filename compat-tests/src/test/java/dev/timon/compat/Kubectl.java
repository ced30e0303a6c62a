package dev.timon.compat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real kubectl (the machine's, 1.32 by default) against a cluster, with a private discovery cache. */
public final class Kubectl {

    /** What one kubectl run printed and how it exited. */
    public record Result(int exitCode, String out, String err) {
        public boolean ok() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private final Path kubeconfig;
    private final Path cacheDir;

    Kubectl(Path kubeconfig, Path cacheDir) {
        this.kubeconfig = kubeconfig;
        this.cacheDir = cacheDir;
    }

    public Result run(String... args) {
        return run(null, Map.of(), args);
    }

    /** Runs kubectl with {@code stdin} as standard input and extra environment; 60 s at most. */
    public Result run(String stdin, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", cacheDir.toString()));
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(env);
            builder.environment().put("HOME", cacheDir.getParent().toString());
            Process process = builder.start();
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            StringBuilder outText = new StringBuilder();
            StringBuilder errText = new StringBuilder();
            Thread outReader = drain(process.getInputStream(), outText);
            Thread errReader = drain(process.getErrorStream(), errText);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            outReader.join(5_000);
            errReader.join(5_000);
            return new Result(process.exitValue(), outText.toString(), errText.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kubectl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Thread drain(InputStream stream, StringBuilder into) {
        Thread reader = new Thread(() -> {
            try {
                into.append(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                into.append(e);
            }
        });
        reader.start();
        return reader;
    }

    /** Runs kubectl and fails the test unless it exits 0. */
    public Result ok(String... args) {
        Result result = run(args);
        org.junit.jupiter.api.Assertions.assertTrue(result.ok(), () -> String.join(" ", args) + "\n" + result);
        return result;
    }

    /** `kubectl apply -n namespace -f -` of {@code yaml}, which must succeed. */
    public Result apply(String namespace, String yaml) {
        Result result = run(yaml, Map.of(), "apply", "-n", namespace, "-f", "-");
        org.junit.jupiter.api.Assertions.assertTrue(result.ok(), result::toString);
        return result;
    }

    /** Starts kubectl without waiting, e.g. `get -w`; the caller stops it. */
    public Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", cacheDir.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("HOME", cacheDir.getParent().toString());
        return builder.start();
    }
}
