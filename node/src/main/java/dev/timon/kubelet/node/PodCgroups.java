package dev.timon.kubelet.node;

import dev.timon.kubelet.pods.PodResources;
import dev.timon.kubelet.pods.Qos;
import dev.timon.kubelet.status.PodStatusGenerator;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pod cgroups as upstream's kubelet lays them out: a {@code kubepods} root with one child per non-guaranteed QoS
 * class ({@code burstable}, {@code besteffort}; guaranteed pods sit at the root) and one cgroup per pod below, named
 * for the runtime's {@link CgroupDriver}. The pod cgroup is created with the pod's limits before its sandbox, and
 * is the sandbox's cgroup parent, so the sandbox and every container run inside it.
 *
 * <p>On a cgroup v1 (or hybrid) machine each controller is its own hierarchy, so every folder is made in every v1
 * controller; cpuset children get cpus and mems copied in, or nothing could run in them. In the hybrid layout runc
 * also mirrors the path into the v2 ("unified") mount, which carries no controller the pods need: it is only
 * cleaned up. Without any v1 controller (a pure v2 machine, or no cgroup tree) pods get no cgroup parent and the
 * runtime's default applies.
 */
public final class PodCgroups {
    private static final Logger LOG = LoggerFactory.getLogger(PodCgroups.class);
    public static final String ROOT = "kubepods";
    static final String BURSTABLE = "burstable";
    static final String BEST_EFFORT = "besteffort";
    private static final Path CGROUP_FS = Path.of("/sys/fs/cgroup");
    static final Duration LEFTOVER_AGE = Duration.ofMinutes(1);

    private final CgroupDriver driver;
    /** Mounts of the v1 controllers, where cgroups are made and limits written. */
    private final List<Path> controllers;
    /** Every mount holding pod folders: the v1 controllers and, in the hybrid layout, the unified mount. */
    private final List<Path> hierarchies;

    PodCgroups(CgroupDriver driver, List<Path> controllers, List<Path> hierarchies) {
        this.driver = driver;
        this.controllers = controllers;
        this.hierarchies = hierarchies;
    }

    /**
     * Finds the controllers under /sys/fs/cgroup and makes the kubepods and QoS-class cgroups in them, kubepods with
     * what all pods together may use.
     */
    public static PodCgroups create(CgroupDriver driver, PodResources allPods) {
        var controllers = new ArrayList<Path>();
        var hierarchies = new ArrayList<Path>();
        try (var list = Files.list(CGROUP_FS)) {
            for (Path dir : list.sorted().toList()) {
                Path real = dir.toRealPath();
                if (!Files.isDirectory(real) || !Files.exists(real.resolve("cgroup.procs")) || hierarchies.contains(real)) {
                    continue;
                }
                hierarchies.add(real);
                // cgroup.controllers exists only in a v2 hierarchy.
                if (!Files.exists(real.resolve("cgroup.controllers"))) {
                    controllers.add(real);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list {} ({}): pods run without a cgroup parent", CGROUP_FS, e.toString());
            return new PodCgroups(driver, List.of(), List.of());
        }
        if (controllers.isEmpty()) {
            LOG.warn("no cgroup v1 controllers under {}: pods run without a cgroup parent", CGROUP_FS);
            return new PodCgroups(driver, List.of(), List.of());
        }
        var cgroups = new PodCgroups(driver, controllers, hierarchies);
        try {
            cgroups.make(List.of(ROOT));
            cgroups.make(List.of(ROOT, BURSTABLE));
            cgroups.make(List.of(ROOT, BEST_EFFORT));
            // As upstream's QoS manager: best-effort pods together get the smallest CPU weight.
            cgroups.write(List.of(ROOT, BEST_EFFORT), "cpu.shares", 2);
        } catch (IOException e) {
            LOG.warn("cannot create the /{} cgroups ({}): pods run without a cgroup parent", ROOT, e.toString());
            return new PodCgroups(driver, List.of(), List.of());
        }
        try {
            for (var file : allPods.cgroupV1Files().entrySet()) {
                cgroups.write(List.of(ROOT), file.getKey(), file.getValue());
            }
        } catch (IOException e) {
            // Pods still get their own limits; only the node-wide cap is missing.
            LOG.warn("cannot cap /{} at the node's allocatable ({})", ROOT, e.toString());
        }
        LOG.info("pod cgroups under /{} ready in {} controllers ({} driver), capped at {}", ROOT, controllers.size(),
                driver.name().toLowerCase(), allPods.cgroupV1Files());
        cgroups.removeLeftovers();
        return cgroups;
    }

    public boolean available() {
        return !controllers.isEmpty();
    }

    /** The sandbox's cgroup parent in the runtime's naming, or "" when pods run without one. */
    public String parentFor(String qosClass, String podUid) {
        return available() ? driver.runtimeName(podName(qosClass, podUid)) : "";
    }

    /** Makes the pod's cgroup (again: it is idempotent) and writes the pod's limits into it. */
    public void ensurePod(String qosClass, String podUid, PodResources resources) throws IOException {
        if (!available()) {
            return;
        }
        var name = podName(qosClass, podUid);
        make(name);
        for (var file : resources.cgroupV1Files().entrySet()) {
            write(name, file.getKey(), file.getValue());
        }
    }

    /**
     * Gives the burstable class the CPU weight its pods requested together, as upstream's QoS manager does whenever
     * a pod starts or goes (best-effort pods keep the minimum; guaranteed pods sit at the root with their own).
     */
    public void resizeBurstable(Collection<Pod> pods) {
        if (!available()) {
            return;
        }
        long milliCpu = pods.stream().filter(pod -> Qos.BURSTABLE.equals(Qos.of(pod)) && !finished(pod))
                .mapToLong(PodResources::cpuRequestMillis).sum();
        try {
            write(List.of(ROOT, BURSTABLE), "cpu.shares", PodResources.shares(milliCpu));
        } catch (IOException e) {
            LOG.warn("cannot resize /{}/{} ({})", ROOT, BURSTABLE, e.toString());
        }
    }

    /** Terminal or being deleted: its containers no longer count. */
    private static boolean finished(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return PodStatusGenerator.isTerminal(phase) || pod.getMetadata().getDeletionTimestamp() != null;
    }

    /** Removes the pod's (by now empty) cgroups and the runtime's leftovers below them; best effort. */
    public void removePod(String podUid) {
        for (Path hierarchy : hierarchies) {
            for (String qos : new String[] {Qos.GUARANTEED, Qos.BURSTABLE, Qos.BEST_EFFORT}) {
                Path dir = hierarchy.resolve(driver.relativePath(podName(qos, podUid)));
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                if (!removeTree(dir)) {
                    LOG.debug("cgroup {} not removed: still in use", dir);
                }
            }
        }
    }

    /**
     * Removes the empty pod cgroups of pods torn down without an agent (e.g. through CRI by `./timon down`), which
     * nobody else would. Only those older than {@link #LEFTOVER_AGE}: another agent on this machine may have just
     * made one for a sandbox it is about to start. A cgroup still in use cannot be removed, so it stays.
     */
    void removeLeftovers() {
        var cutoff = Instant.now().minus(LEFTOVER_AGE);
        var removed = new HashSet<String>();
        for (Path hierarchy : hierarchies) {
            for (String qos : new String[] {Qos.GUARANTEED, Qos.BURSTABLE, Qos.BEST_EFFORT}) {
                Path sample = driver.relativePath(podName(qos, ""));
                Path parent = hierarchy.resolve(sample).getParent();
                String podPrefix = sample.getFileName().toString().replace(".slice", "");
                if (!Files.isDirectory(parent)) {
                    continue;
                }
                try (var children = Files.list(parent)) {
                    for (Path pod : children.filter(Files::isDirectory).toList()) {
                        if (pod.getFileName().toString().startsWith(podPrefix)
                                && Files.getLastModifiedTime(pod).toInstant().isBefore(cutoff) && removeTree(pod)) {
                            removed.add(pod.getFileName().toString());
                        }
                    }
                } catch (IOException e) {
                    LOG.debug("listing {}: {}", parent, e.toString());
                }
            }
        }
        if (!removed.isEmpty()) {
            LOG.info("removed the cgroups of {} pods gone without an agent", removed.size());
        }
    }

    /** Removes a cgroup and the ones below it, deepest first; yields whether it is gone. */
    private static boolean removeTree(Path dir) {
        // Only folders can be removed from a cgroup tree; the files in them go with them.
        try (var walk = Files.walk(dir)) {
            for (Path child : walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(child);
            }
            return true;
        } catch (IOException e) {
            // In use (processes or a busy child): it is not a leftover.
            return false;
        }
    }

    /** The pod's cgroup as upstream names it: kubepods[/burstable|/besteffort]/pod{uid}. */
    static List<String> podName(String qosClass, String podUid) {
        return switch (qosClass) {
            case Qos.GUARANTEED -> List.of(ROOT, "pod" + podUid);
            case Qos.BURSTABLE -> List.of(ROOT, BURSTABLE, "pod" + podUid);
            default -> List.of(ROOT, BEST_EFFORT, "pod" + podUid);
        };
    }

    private void make(List<String> name) throws IOException {
        Path relative = driver.relativePath(name);
        for (Path controller : controllers) {
            Path dir = controller.resolve(relative);
            Files.createDirectories(dir);
            if (Files.exists(dir.resolve("cpuset.cpus"))) {
                // Parents first: a cpuset child can only take cpus its parent has.
                for (int i = 1; i <= relative.getNameCount(); i++) {
                    Path level = controller.resolve(relative.subpath(0, i));
                    copyIfEmpty(level.getParent(), level, "cpuset.cpus");
                    copyIfEmpty(level.getParent(), level, "cpuset.mems");
                }
            }
        }
    }

    /** Writes {@code controller.setting} (e.g. memory.limit_in_bytes) into the named cgroup of that controller. */
    private void write(List<String> name, String file, long value) throws IOException {
        String controllerName = file.substring(0, file.indexOf('.'));
        for (Path controller : controllers) {
            Path target = controller.resolve(driver.relativePath(name)).resolve(file);
            // A mount may hold several controllers ("cpu,cpuacct").
            boolean holds = List.of(controller.getFileName().toString().split(",")).contains(controllerName);
            if (holds && Files.exists(target)) {
                Files.writeString(target, Long.toString(value));
                return;
            }
        }
        throw new IOException("no cgroup v1 " + controllerName + " controller for " + file);
    }

    private static void copyIfEmpty(Path parent, Path dir, String file) throws IOException {
        if (Files.readString(dir.resolve(file)).isBlank()) {
            Files.writeString(dir.resolve(file), Files.readString(parent.resolve(file)).strip());
        }
    }
}
