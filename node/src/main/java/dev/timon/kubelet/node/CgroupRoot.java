package dev.timon.kubelet.node;

import dev.timon.kubelet.pods.Qos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /timon} cgroup root with one child per QoS class (burstable, besteffort; guaranteed pods sit at the
 * root), created in every cgroup v1 controller as upstream needs with the cgroupfs driver; cpuset children get
 * cpus and mems copied in, or nothing could run in them. When that fails (no cgroup v1 tree, read-only), pods get
 * no cgroup parent and the runtime's default applies.
 */
public final class CgroupRoot {
    private static final Logger LOG = LoggerFactory.getLogger(CgroupRoot.class);
    public static final String NAME = "timon";
    private static final Path CGROUP_FS = Path.of("/sys/fs/cgroup");

    private final Set<Path> controllers;
    private final boolean available;

    private CgroupRoot(Set<Path> controllers, boolean available) {
        this.controllers = controllers;
        this.available = available;
    }

    public static CgroupRoot create() {
        var controllers = new LinkedHashSet<Path>();
        try (var list = Files.list(CGROUP_FS)) {
            for (Path dir : list.toList()) {
                Path real = dir.toRealPath();
                // v1 hierarchies only: the hybrid "unified" v2 mount carries no controller the pods need.
                if (Files.isDirectory(real) && Files.exists(real.resolve("cgroup.procs")) && !Files.exists(real.resolve("cgroup.controllers"))) {
                    controllers.add(real);
                }
            }
            if (controllers.isEmpty()) {
                LOG.warn("no cgroup v1 controllers under {}: pods run without a cgroup parent", CGROUP_FS);
                return new CgroupRoot(Set.of(), false);
            }
            for (Path controller : controllers) {
                for (String child : new String[] {NAME, NAME + "/burstable", NAME + "/besteffort"}) {
                    Path dir = controller.resolve(child);
                    Files.createDirectories(dir);
                    if (Files.exists(dir.resolve("cpuset.cpus"))) {
                        copyIfEmpty(dir.getParent(), dir, "cpuset.cpus");
                        copyIfEmpty(dir.getParent(), dir, "cpuset.mems");
                    }
                }
            }
            LOG.info("cgroup root /{} ready in {} controllers", NAME, controllers.size());
            return new CgroupRoot(controllers, true);
        } catch (IOException e) {
            LOG.warn("cannot create the cgroup root /{} ({}): pods run without a cgroup parent", NAME, e.toString());
            return new CgroupRoot(Set.of(), false);
        }
    }

    /** The sandbox's cgroup parent for its QoS class, or "" when there is no cgroup root. */
    public String parentFor(String qosClass, String podUid) {
        if (!available) {
            return "";
        }
        return switch (qosClass) {
            case Qos.GUARANTEED -> "/" + NAME + "/pod" + podUid;
            case Qos.BURSTABLE -> "/" + NAME + "/burstable/pod" + podUid;
            default -> "/" + NAME + "/besteffort/pod" + podUid;
        };
    }

    /** Removes the pod's (now empty) cgroups in every controller; best effort. */
    public void removePod(String podUid) {
        for (Path controller : controllers) {
            for (String qos : new String[] {"", "burstable/", "besteffort/"}) {
                Path dir = controller.resolve(NAME + "/" + qos + "pod" + podUid);
                if (Files.isDirectory(dir)) {
                    try (var children = Files.list(dir)) {
                        for (Path child : children.filter(Files::isDirectory).toList()) {
                            Files.deleteIfExists(child);
                        }
                        Files.deleteIfExists(dir);
                    } catch (IOException e) {
                        LOG.debug("cgroup {} not removed: {}", dir, e.toString());
                    }
                }
            }
        }
    }

    private static void copyIfEmpty(Path parent, Path dir, String file) throws IOException {
        if (Files.readString(dir.resolve(file)).isBlank()) {
            Files.writeString(dir.resolve(file), Files.readString(parent.resolve(file)).strip());
        }
    }
}
