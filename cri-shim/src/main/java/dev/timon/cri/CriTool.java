package dev.timon.cri;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import runtime.v1.Api.PodSandbox;
import runtime.v1.Api.PodSandboxFilter;

/**
 * Command-line access to a CRI runtime for the node scripts, where no crictl is packaged.
 * Usage: {@code CriTool <socket> version | pods | teardown-pods}.
 */
public final class CriTool {

    private CriTool() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: CriTool <socket> version|pods|teardown-pods");
            System.exit(2);
        }
        try (var cri = CriClient.connect(Path.of(args[0]), Duration.ofSeconds(60))) {
            switch (args[1]) {
                case "version" -> {
                    var version = cri.version().join();
                    System.out.println(version.getRuntimeName() + " " + version.getRuntimeVersion()
                            + " (CRI " + version.getRuntimeApiVersion() + ")");
                }
                case "pods" -> pods(cri).forEach(pod -> System.out.println(pod.getId() + " "
                        + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName() + " " + pod.getState()));
                case "teardown-pods" -> teardownPods(cri);
                default -> {
                    System.err.println("CriTool: unknown command " + args[1]);
                    System.exit(2);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("CriTool: " + (e.getCause() != null ? e.getCause() : e));
            System.exit(1);
        }
    }

    /** Stops, then removes, every sandbox (with its containers), as the kubelet would on pod deletion. */
    public static void teardownPods(CriClient cri) {
        var pods = pods(cri);
        for (var pod : pods) {
            cri.stopPodSandbox(pod.getId()).join();
            cri.removePodSandbox(pod.getId()).join();
        }
        System.err.println("CriTool: removed " + pods.size() + " pod sandbox(es)");
    }

    private static List<PodSandbox> pods(CriClient cri) {
        return cri.listPodSandboxes(PodSandboxFilter.getDefaultInstance()).join();
    }
}
