package dev.timon.kubelet.volumes;

import dev.timon.kubelet.env.ConfigException;
import dev.timon.kubelet.env.ConfigSources;
import dev.timon.kubelet.env.PodFields;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import runtime.v1.Api.Mount;
import runtime.v1.Api.MountPropagation;

/**
 * Pod volumes as host folders under {@code <data>/pods/<uid>/volumes/<plugin>/<name>}, bind-mounted into
 * containers by the runtime. configMap, secret, downwardAPI and projected volumes are (re)written on every
 * container start, so a restarted container sees current data.
 */
public final class VolumeManager {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeManager.class);
    private static final int DEFAULT_MODE = 0644;

    private final Path podsDir;
    private final ConfigSources sources;

    public VolumeManager(Path podsDir, ConfigSources sources) {
        this.podsDir = podsDir;
        this.sources = sources;
    }

    public Path podDir(String uid) {
        return podsDir.resolve(uid);
    }

    /** Prepares every volume of the pod; yields volume name -> host path. */
    public Map<String, Path> setUp(Pod pod, PodFields fields) throws ConfigException {
        var paths = new LinkedHashMap<String, Path>();
        Path volumes = podDir(pod.getMetadata().getUid()).resolve("volumes");
        for (Volume volume : pod.getSpec().getVolumes()) {
            try {
                paths.put(volume.getName(), setUp(pod, volume, volumes, fields));
            } catch (IOException e) {
                throw new ConfigException("volume " + volume.getName() + ": " + e.getMessage());
            }
        }
        return paths;
    }

    private Path setUp(Pod pod, Volume volume, Path volumes, PodFields fields) throws IOException, ConfigException {
        String ns = pod.getMetadata().getNamespace();
        if (volume.getHostPath() != null) {
            return HostPaths.prepare(Path.of(volume.getHostPath().getPath()), volume.getHostPath().getType());
        }
        if (volume.getEmptyDir() != null) {
            Path dir = volumes.resolve("kubernetes.io~empty-dir").resolve(volume.getName());
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, AtomicWriter.permissions(0777));
            if ("Memory".equals(volume.getEmptyDir().getMedium())) {
                Tmpfs.mount(dir, volume.getEmptyDir().getSizeLimit());
            }
            return dir;
        }
        Map<String, AtomicWriter.File> payload = new LinkedHashMap<>();
        String plugin;
        if (volume.getConfigMap() != null) {
            var source = volume.getConfigMap();
            plugin = "kubernetes.io~configmap";
            var data = ConfigSources.require(sources.configMap(ns, source.getName()), "configmap", source.getName(), source.getOptional());
            addKeys(payload, data, source.getItems(), mode(source.getDefaultMode()), source.getOptional(), "configmap " + source.getName());
        } else if (volume.getSecret() != null) {
            var source = volume.getSecret();
            plugin = "kubernetes.io~secret";
            var data = ConfigSources.require(sources.secret(ns, source.getSecretName()), "secret", source.getSecretName(), source.getOptional());
            addKeys(payload, data, source.getItems(), mode(source.getDefaultMode()), source.getOptional(), "secret " + source.getSecretName());
        } else if (volume.getDownwardAPI() != null) {
            plugin = "kubernetes.io~downward-api";
            addDownward(payload, volume.getDownwardAPI().getItems(), mode(volume.getDownwardAPI().getDefaultMode()), fields);
        } else if (volume.getProjected() != null) {
            plugin = "kubernetes.io~projected";
            int mode = mode(volume.getProjected().getDefaultMode());
            for (var source : volume.getProjected().getSources()) {
                if (source.getConfigMap() != null) {
                    var cm = source.getConfigMap();
                    var data = ConfigSources.require(sources.configMap(ns, cm.getName()), "configmap", cm.getName(), cm.getOptional());
                    addKeys(payload, data, cm.getItems(), mode, cm.getOptional(), "configmap " + cm.getName());
                } else if (source.getSecret() != null) {
                    var secret = source.getSecret();
                    var data = ConfigSources.require(sources.secret(ns, secret.getName()), "secret", secret.getName(), secret.getOptional());
                    addKeys(payload, data, secret.getItems(), mode, secret.getOptional(), "secret " + secret.getName());
                } else if (source.getDownwardAPI() != null) {
                    addDownward(payload, source.getDownwardAPI().getItems(), mode, fields);
                }
                // serviceAccountToken sources wait for the API to issue tokens.
            }
        } else {
            throw new ConfigException("volume " + volume.getName() + ": unsupported volume type");
        }
        Path dir = volumes.resolve(plugin).resolve(volume.getName());
        AtomicWriter.write(dir, payload);
        return dir;
    }

    private static void addKeys(Map<String, AtomicWriter.File> payload, Map<String, byte[]> data, List<KeyToPath> items,
                                int mode, Boolean optional, String what) throws ConfigException {
        if (items == null || items.isEmpty()) {
            data.forEach((k, v) -> payload.put(k, new AtomicWriter.File(v, mode)));
            return;
        }
        for (KeyToPath item : items) {
            byte[] value = data.get(item.getKey());
            if (value == null) {
                if (Boolean.TRUE.equals(optional)) {
                    continue;
                }
                throw new ConfigException("configmap references non-existent config key: " + item.getKey() + " (" + what + ")");
            }
            payload.put(item.getPath(), new AtomicWriter.File(value, item.getMode() == null ? mode : item.getMode()));
        }
    }

    private static void addDownward(Map<String, AtomicWriter.File> payload, List<DownwardAPIVolumeFile> items, int mode,
                                    PodFields fields) throws ConfigException {
        var containers = fields.pod().getSpec().getContainers();
        for (var item : items) {
            String value = item.getFieldRef() != null
                    ? fields.field(item.getFieldRef())
                    : fields.resource(item.getResourceFieldRef(), containers.get(0));
            payload.put(item.getPath(), new AtomicWriter.File(value.getBytes(StandardCharsets.UTF_8),
                    item.getMode() == null ? mode : item.getMode()));
        }
    }

    /** The CRI mounts of a container: its volumeMounts resolved against the prepared volumes. */
    public static List<Mount> mounts(Pod pod, Container container, Map<String, Path> volumePaths) throws ConfigException {
        var mounts = new ArrayList<Mount>();
        for (var vm : container.getVolumeMounts()) {
            Path host = volumePaths.get(vm.getName());
            if (host == null) {
                throw new ConfigException("volume " + vm.getName() + " not found");
            }
            if (vm.getSubPath() != null && !vm.getSubPath().isEmpty()) {
                host = host.resolve(vm.getSubPath()).normalize();
                if (!Files.exists(host)) {
                    try {
                        Files.createDirectories(host);
                    } catch (IOException e) {
                        throw new ConfigException("subPath " + vm.getSubPath() + ": " + e.getMessage());
                    }
                }
            }
            var volume = pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(vm.getName())).findFirst().orElseThrow();
            // Upstream makes these read-only whatever the mount says.
            boolean forcedReadOnly = volume.getConfigMap() != null || volume.getSecret() != null
                    || volume.getDownwardAPI() != null || volume.getProjected() != null;
            mounts.add(Mount.newBuilder()
                    .setContainerPath(vm.getMountPath())
                    .setHostPath(host.toString())
                    .setReadonly(forcedReadOnly || Boolean.TRUE.equals(vm.getReadOnly()))
                    .setPropagation(propagation(vm.getMountPropagation()))
                    .build());
        }
        return mounts;
    }

    /** Unmounts tmpfs volumes and removes the pod's folder. */
    public void tearDown(String uid) {
        Path dir = podDir(uid);
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Path emptyDirs = dir.resolve("volumes").resolve("kubernetes.io~empty-dir");
            if (Files.isDirectory(emptyDirs)) {
                try (var list = Files.list(emptyDirs)) {
                    for (Path volume : list.toList()) {
                        Tmpfs.unmount(volume);
                    }
                }
            }
            deleteTree(dir);
        } catch (IOException e) {
            LOG.warn("cleaning pod folder {}: {}", dir, e.toString());
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int mode(Integer mode) {
        return mode == null ? DEFAULT_MODE : mode;
    }

    private static MountPropagation propagation(String mode) {
        if ("Bidirectional".equals(mode)) {
            return MountPropagation.PROPAGATION_BIDIRECTIONAL;
        }
        return "HostToContainer".equals(mode) ? MountPropagation.PROPAGATION_HOST_TO_CONTAINER : MountPropagation.PROPAGATION_PRIVATE;
    }

    /** tmpfs mounts for emptyDir medium Memory, through mount(8): Java has no mount call. */
    static final class Tmpfs {
        private Tmpfs() {
        }

        static void mount(Path dir, Quantity sizeLimit) throws IOException {
            if (mounted(dir)) {
                return;
            }
            var command = new ArrayList<>(List.of("mount", "-t", "tmpfs"));
            if (sizeLimit != null) {
                command.addAll(List.of("-o", "size=" + Quantity.getAmountInBytes(sizeLimit).toBigInteger()));
            }
            command.addAll(List.of("tmpfs", dir.toString()));
            run(command);
        }

        static void unmount(Path dir) throws IOException {
            if (mounted(dir)) {
                run(List.of("umount", dir.toString()));
            }
        }

        private static boolean mounted(Path dir) throws IOException {
            String target = " " + dir.toAbsolutePath() + " ";
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(line -> line.contains(target));
        }

        private static void run(List<String> command) throws IOException {
            try {
                var process = new ProcessBuilder(command).redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (process.waitFor() != 0) {
                    throw new IOException(String.join(" ", command) + ": " + output.strip());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted: " + command);
            }
        }
    }
}
