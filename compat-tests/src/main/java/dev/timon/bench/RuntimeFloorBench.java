package dev.timon.bench;

import dev.timon.cri.CriClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import runtime.v1.Api.ContainerConfig;
import runtime.v1.Api.ContainerMetadata;
import runtime.v1.Api.ImageSpec;
import runtime.v1.Api.LinuxPodSandboxConfig;
import runtime.v1.Api.PodSandboxConfig;
import runtime.v1.Api.PodSandboxMetadata;

/**
 * The runtime's floor for the pod startup benchmark: N pods started at once straight through CRI (sandbox with its
 * CNI network, then one container), with no API server, scheduler or node agent involved, as p50/p99 of each pod's
 * RunPodSandbox -> StartContainer done. No kubelet on this machine can start pods faster than this. The sandboxes carry
 * none of the node agent's labels, so a running agent leaves them alone; all are removed at the end.
 * Usage: bench/runtime-floor.sh <containerd-socket> [count] [image]
 */
public final class RuntimeFloorBench {
    /** The pods' cgroups (cgroupfs driver) go below this, removed again at the end. */
    private static final String CGROUP_PARENT = "/timon-floor";
    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");

    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        String image = args.length > 2 ? args[2] : "docker.io/library/busybox:1.36";
        String run = "floor-" + Long.toHexString(System.currentTimeMillis());
        Path logs = Files.createTempDirectory(run);
        try (CriClient cri = CriClient.connect(socket)) {
            cri.pullImage(ImageSpec.newBuilder().setImage(image).build()).join();
            List<String> sandboxes = Collections.synchronizedList(new ArrayList<>());
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(count);
            var machine = Figures.MachineCpu.start();
            try {
                List<CompletableFuture<Void>> pods = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    String name = run + "-" + i;
                    pods.add(CompletableFuture.runAsync(() -> {
                        long start = System.nanoTime();
                        var config = PodSandboxConfig.newBuilder()
                                .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("timon-bench")
                                        .setUid(UUID.randomUUID().toString()))
                                .setHostname(name).setLogDirectory(logs.resolve(name).toString())
                                .setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent(CGROUP_PARENT + "/" + name))
                                .build();
                        String sandbox = cri.runPodSandbox(config, "").join();
                        sandboxes.add(sandbox);
                        var container = ContainerConfig.newBuilder()
                                .setMetadata(ContainerMetadata.newBuilder().setName("main"))
                                .setImage(ImageSpec.newBuilder().setImage(image)).addCommand("sleep").addCommand("3600")
                                .setLogPath("main.log").build();
                        cri.startContainer(cri.createContainer(sandbox, container, config).join()).join();
                        latencies.add((System.nanoTime() - start) / 1_000_000);
                    }, pool));
                }
                CompletableFuture.allOf(pods.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                System.out.println("the machine's CPU while measuring: " + machine.since());
                System.out.printf("runtime floor: %d pods through CRI alone; sandbox to container started p50 %d ms, p99 %d ms%n",
                        latencies.size(), Figures.percentile(latencies, 50), Figures.percentile(latencies, 99));
            } finally {
                pool.shutdownNow();
                for (String sandbox : sandboxes) {
                    cri.stopPodSandbox(sandbox).exceptionally(e -> null).join();
                    cri.removePodSandbox(sandbox).exceptionally(e -> null).join();
                }
                removeDepthFirst(logs);
                try (var hierarchies = Files.list(CGROUPS)) {
                    for (Path hierarchy : hierarchies.toList()) {
                        removeDepthFirst(hierarchy.resolve(CGROUP_PARENT.substring(1)));
                    }
                }
            }
        }
    }

    /**
     * Removes a folder's subfolders, then the folder, best effort. On cgroupfs a cgroup goes with rmdir (its control
     * files with it) once empty, so only folders are removed there; the log folder's files go first.
     */
    private static void removeDepthFirst(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (Files.isDirectory(path) || !path.startsWith(CGROUPS)) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
