package dev.timon.kubelet.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.timon.cri.CriClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How cgroups are named for the runtime, as upstream's cgroup drivers: cgroupfs uses plain paths
 * ({@code /kubepods/burstable/pod<uid>}), systemd nested slices
 * ({@code kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid>.slice}). The agent must use the
 * driver the runtime's runc is configured with, so it reads containerd's CRI settings instead of guessing.
 */
public enum CgroupDriver {
    CGROUPFS, SYSTEMD;

    private static final Logger LOG = LoggerFactory.getLogger(CgroupDriver.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The cgroup's folder below a controller's mount for a name such as [kubepods, burstable, pod1234]. */
    public Path relativePath(List<String> name) {
        if (this == CGROUPFS) {
            return Path.of(String.join("/", name));
        }
        var slices = new ArrayList<String>();
        var prefix = new StringBuilder();
        for (String part : name) {
            // systemd reads '-' in a slice name as nesting; upstream escapes it (pod uids are full of them).
            prefix.append(prefix.isEmpty() ? "" : "-").append(part.replace('-', '_'));
            slices.add(prefix + ".slice");
        }
        return Path.of(String.join("/", slices));
    }

    /**
     * The cgroup_parent to hand to the runtime: the absolute path for cgroupfs, the innermost slice for systemd
     * (containerd passes "slice:cri-containerd:id" to runc, which expands the slice itself).
     */
    public String runtimeName(List<String> name) {
        Path path = relativePath(name);
        return this == CGROUPFS ? "/" + path : path.getFileName().toString();
    }

    /** The driver containerd's default runtime uses, from its verbose CRI status; cgroupfs when it does not say. */
    public static CgroupDriver of(CriClient cri) {
        try {
            String config = cri.verboseStatus().join().getInfoOrDefault("config", "");
            CgroupDriver driver = config.isEmpty() ? CGROUPFS : fromContainerdConfig(config);
            LOG.info("cgroup driver {} (from containerd's CRI settings)", driver.name().toLowerCase());
            return driver;
        } catch (CompletionException | IOException e) {
            LOG.warn("cannot read containerd's CRI settings ({}): assuming the cgroupfs driver", e.toString());
            return CGROUPFS;
        }
    }

    /**
     * The driver in containerd's CRI settings (JSON): runc v2's {@code SystemdCgroup} option of the default runtime,
     * or the legacy plugin-wide {@code systemd_cgroup}.
     */
    static CgroupDriver fromContainerdConfig(String json) throws IOException {
        JsonNode config = JSON.readTree(json);
        JsonNode containerd = config.path("containerd");
        String runtime = containerd.path("defaultRuntimeName").asText("runc");
        JsonNode option = containerd.path("runtimes").path(runtime).path("options").path("SystemdCgroup");
        if (option.isMissingNode()) {
            LOG.info("containerd's runtime {} sets no SystemdCgroup option", runtime);
        }
        boolean systemd = option.asBoolean(false) || config.path("systemdCgroup").asBoolean(false);
        return systemd ? SYSTEMD : CGROUPFS;
    }
}
