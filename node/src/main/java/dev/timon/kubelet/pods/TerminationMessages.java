package dev.timon.kubelet.pods;

import dev.timon.kubelet.server.LogTail;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import runtime.v1.Api.ContainerState;
import runtime.v1.Api.ContainerStatus;
import runtime.v1.Api.Mount;

/**
 * Termination messages as upstream's kubelet handles them: before each container instance starts, an empty file of
 * its own ({@code <pod dir>/containers/<name>/<random id>}) is bind-mounted at its terminationMessagePath; once the
 * instance exited, what it wrote there (at most 4096 bytes) becomes its terminated state's message. With
 * {@code FallbackToLogsOnError}, a failed instance that wrote nothing gets the end of its log instead: the last 80
 * lines, at most 2048 bytes. The path and policy travel as container annotations, so an adopted container is read
 * the same way. A pod's messages together stay within 12 KiB: each container's is cut to an even share, as
 * upstream's status manager does.
 */
public final class TerminationMessages {
    static final String PATH_ANNOTATION = "io.kubernetes.container.terminationMessagePath";
    static final String POLICY_ANNOTATION = "io.kubernetes.container.terminationMessagePolicy";
    static final String FALLBACK_TO_LOGS = "FallbackToLogsOnError";
    static final int MAX_FILE_BYTES = 4096;
    static final int MAX_LOG_LINES = 80;
    static final int MAX_LOG_BYTES = 2048;
    static final int MAX_POD_BYTES = 12 * 1024;

    private TerminationMessages() {
    }

    /** The file for a new instance of {@code container}, created empty and writable by any user; null when it has no path. */
    static Mount prepare(Path podDir, Container container) throws IOException {
        String path = container.getTerminationMessagePath();
        if (path == null || path.isEmpty()) {
            return null;
        }
        Path dir = podDir.resolve("containers").resolve(container.getName());
        Files.createDirectories(dir);
        // One file per instance: a restarted container starts with an empty message.
        Path file = dir.resolve(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        Files.createFile(file);
        // Any user, as upstream: the container may run as someone other than the agent.
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        return Mount.newBuilder().setContainerPath(path).setHostPath(file.toString()).build();
    }

    /** The message of an exited container instance, or "" when it has none. */
    public static String read(ContainerStatus status) {
        if (status.getState() != ContainerState.CONTAINER_EXITED) {
            return "";
        }
        String path = status.getAnnotationsOrDefault(PATH_ANNOTATION, "");
        boolean fallback = FALLBACK_TO_LOGS.equals(status.getAnnotationsOrDefault(POLICY_ANNOTATION, ""))
                && status.getExitCode() != 0 && !"ContainerCannotRun".equals(status.getReason());
        String message = "";
        if (!path.isEmpty()) {
            var mount = status.getMountsList().stream().filter(m -> path.equals(m.getContainerPath())).findFirst();
            if (mount.isPresent()) {
                try {
                    message = lastBytes(Path.of(mount.get().getHostPath()), MAX_FILE_BYTES);
                } catch (NoSuchFileException e) {
                    message = "";
                } catch (IOException e) {
                    return "Error on reading termination log " + mount.get().getHostPath() + ": " + e.getMessage();
                }
            }
        }
        if (!message.isEmpty() || !fallback || status.getLogPath().isEmpty()) {
            return message;
        }
        try {
            return new String(LogTail.read(Path.of(status.getLogPath()), MAX_LOG_LINES, MAX_LOG_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "Error on reading termination message from logs: " + e.getMessage();
        }
    }

    /**
     * Cuts every terminated message (current and last state) to the pod's even share of 12 KiB: its first bytes,
     * {@code MAX_POD_BYTES} divided by the number of containers and init containers.
     */
    public static void capPerPod(Pod pod, List<io.fabric8.kubernetes.api.model.ContainerStatus> statuses) {
        int containers = pod.getSpec().getContainers().size() + pod.getSpec().getInitContainers().size();
        int share = MAX_POD_BYTES / Math.max(1, containers);
        for (var status : statuses) {
            Stream.of(status.getState(), status.getLastState())
                    .filter(state -> state != null && state.getTerminated() != null && state.getTerminated().getMessage() != null)
                    .forEach(state -> state.getTerminated().setMessage(firstBytes(state.getTerminated().getMessage(), share)));
        }
    }

    /** At most {@code max} bytes of the message's UTF-8; a character cut in two decodes as U+FFFD, as Go's JSON does. */
    static String firstBytes(String message, int max) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= max ? message : new String(bytes, 0, max, StandardCharsets.UTF_8);
    }

    /** Deletes the message file of a container instance the runtime no longer keeps. */
    static void forget(ContainerStatus status) {
        String path = status.getAnnotationsOrDefault(PATH_ANNOTATION, "");
        status.getMountsList().stream().filter(m -> !path.isEmpty() && path.equals(m.getContainerPath())).forEach(m -> {
            try {
                Files.deleteIfExists(Path.of(m.getHostPath()));
            } catch (IOException e) {
                // Left for the pod folder's removal.
            }
        });
    }

    /** The file's last {@code max} bytes, as upstream's tail.ReadAtMost. */
    private static String lastBytes(Path file, int max) throws IOException {
        try (var in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            long start = Math.max(0, length - max);
            byte[] data = new byte[(int) (length - start)];
            in.seek(start);
            in.readFully(data);
            return new String(data, StandardCharsets.UTF_8);
        } catch (java.io.FileNotFoundException e) {
            throw new NoSuchFileException(file.toString());
        }
    }
}
