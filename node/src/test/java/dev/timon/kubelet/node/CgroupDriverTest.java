package dev.timon.kubelet.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CgroupDriverTest {
    private static final List<String> BURSTABLE_POD = List.of("kubepods", "burstable", "pod6c1a-22b0");

    @Test
    void cgroupfsNamesArePlainPaths() {
        assertEquals(Path.of("kubepods/burstable/pod6c1a-22b0"), CgroupDriver.CGROUPFS.relativePath(BURSTABLE_POD));
        assertEquals("/kubepods/burstable/pod6c1a-22b0", CgroupDriver.CGROUPFS.runtimeName(BURSTABLE_POD));
    }

    @Test
    void systemdNamesAreNestedSlicesWithDashesEscaped() {
        assertEquals(Path.of("kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod6c1a_22b0.slice"),
                CgroupDriver.SYSTEMD.relativePath(BURSTABLE_POD));
        assertEquals("kubepods-burstable-pod6c1a_22b0.slice", CgroupDriver.SYSTEMD.runtimeName(BURSTABLE_POD));
    }

    @Test
    void driverFollowsTheDefaultRuntimesSystemdCgroupOption() throws Exception {
        String systemd = """
                {"containerd": {"defaultRuntimeName": "runc",
                  "runtimes": {"runc": {"runtimeType": "io.containerd.runc.v2", "options": {"SystemdCgroup": true}},
                               "other": {"options": {"SystemdCgroup": false}}}},
                 "systemdCgroup": false}""";
        assertEquals(CgroupDriver.SYSTEMD, CgroupDriver.fromContainerdConfig(systemd));
        assertEquals(CgroupDriver.CGROUPFS, CgroupDriver.fromContainerdConfig(systemd.replace("true", "false")));
        assertEquals(CgroupDriver.SYSTEMD, CgroupDriver.fromContainerdConfig("{\"systemdCgroup\": true}"));
    }
}
