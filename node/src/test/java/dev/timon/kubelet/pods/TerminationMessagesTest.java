package dev.timon.kubelet.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import runtime.v1.Api.ContainerState;
import runtime.v1.Api.ContainerStatus;
import runtime.v1.Api.Mount;

class TerminationMessagesTest {
    @TempDir
    Path dir;

    private ContainerStatus exited(int exitCode, String policy, Path messageFile, Path log) {
        return ContainerStatus.newBuilder().setState(ContainerState.CONTAINER_EXITED).setExitCode(exitCode)
                .putAnnotations(TerminationMessages.PATH_ANNOTATION, "/dev/termination-log")
                .putAnnotations(TerminationMessages.POLICY_ANNOTATION, policy)
                .addMounts(Mount.newBuilder().setContainerPath("/dev/termination-log").setHostPath(messageFile.toString()))
                .setLogPath(log.toString()).build();
    }

    /** A CRI log with {@code count} stdout lines "line <n>", the first split into a partial and a final part. */
    private Path log(int count) throws IOException {
        var out = new StringBuilder("2026-01-01T00:00:00.000000000Z stdout P li\n");
        out.append("2026-01-01T00:00:00.000000000Z stdout F ne 1\n");
        for (int i = 2; i <= count; i++) {
            out.append("2026-01-01T00:00:00.000000000Z stdout F line ").append(i).append('\n');
        }
        return Files.writeString(dir.resolve("0.log"), out);
    }

    @Test
    void fileContentIsTheMessageWhateverThePolicy() throws IOException {
        Path file = Files.writeString(dir.resolve("msg"), "done: 42 rows");
        assertEquals("done: 42 rows", TerminationMessages.read(exited(1, "FallbackToLogsOnError", file, log(3))));
    }

    @Test
    void onlyTheLast4096BytesOfTheFileAreKept() throws IOException {
        Path file = Files.writeString(dir.resolve("msg"), "x".repeat(5000) + "END");
        String message = TerminationMessages.read(exited(0, "File", file, log(1)));
        assertEquals(4096, message.length());
        assertEquals("END", message.substring(4093));
    }

    @Test
    void failedContainerWithEmptyFileFallsBackToItsLast80LogLines() throws IOException {
        Path file = Files.createFile(dir.resolve("msg"));
        var expected = new StringBuilder();
        for (int i = 21; i <= 100; i++) {
            expected.append("line ").append(i).append('\n');
        }
        assertEquals(expected.toString(), TerminationMessages.read(exited(2, "FallbackToLogsOnError", file, log(100))));
    }

    @Test
    void noFallbackWhenTheContainerSucceededOrThePolicyIsFile() throws IOException {
        Path file = Files.createFile(dir.resolve("msg"));
        assertEquals("", TerminationMessages.read(exited(0, "FallbackToLogsOnError", file, log(5))));
        assertEquals("", TerminationMessages.read(exited(2, "File", file, log(5))));
    }

    @Test
    void aPodsMessagesShareTwelveKibEvenly() {
        var pod = new io.fabric8.kubernetes.api.model.PodBuilder().withNewSpec()
                .addNewContainer().withName("a").endContainer().addNewContainer().withName("b").endContainer()
                .addNewInitContainer().withName("init").endInitContainer().endSpec().build();
        var big = new io.fabric8.kubernetes.api.model.ContainerStatusBuilder().withName("a")
                .withNewState().withNewTerminated().withMessage("x".repeat(4096)).endTerminated().endState()
                .withNewLastState().withNewTerminated().withMessage("é".repeat(3000)).endTerminated().endLastState().build();
        var small = new io.fabric8.kubernetes.api.model.ContainerStatusBuilder().withName("b")
                .withNewState().withNewTerminated().withMessage("ok").endTerminated().endState().build();
        TerminationMessages.capPerPod(pod, java.util.List.of(big, small));
        assertEquals("x".repeat(4096), big.getState().getTerminated().getMessage()); // 12 KiB / 3 = 4096: fits
        // 3000 two-byte characters cut at 4096 bytes: 2048 whole characters.
        assertEquals("é".repeat(2048), big.getLastState().getTerminated().getMessage());
        assertEquals("ok", small.getState().getTerminated().getMessage());
    }

    @Test
    void aCutCharacterBecomesTheReplacementCharacter() {
        assertEquals("a\uFFFD", TerminationMessages.firstBytes("aé", 2));
    }
}
