package dev.timon.kubelet.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The QoS-class cgroups' CPU weight, written into a folder standing in for the cgroup v1 cpu controller. */
class PodCgroupsTest {
    @TempDir
    Path root;

    private static Pod pod(Map<String, String> requests, Map<String, String> limits, String phase) {
        var resources = new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder();
        requests.forEach((name, amount) -> resources.addToRequests(name, new Quantity(amount)));
        limits.forEach((name, amount) -> resources.addToLimits(name, new Quantity(amount)));
        return new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec()
                .addNewContainer().withName("main").withResources(resources.build()).endContainer().endSpec()
                .withNewStatus().withPhase(phase).endStatus().build();
    }

    @Test
    void burstableWeightIsTheSumOfItsRunningPodsRequests() throws IOException {
        Path cpu = root.resolve("cpu,cpuacct");
        Path shares = Files.createDirectories(cpu.resolve("kubepods/burstable")).resolve("cpu.shares");
        Files.writeString(shares, "1024");
        var cgroups = new PodCgroups(CgroupDriver.CGROUPFS, List.of(cpu), List.of(cpu));

        cgroups.resizeBurstable(List.of(
                pod(Map.of("cpu", "250m"), Map.of(), "Running"),               // burstable: counts
                pod(Map.of("cpu", "500m"), Map.of("cpu", "1"), "Running"),     // burstable: counts
                pod(Map.of(), Map.of("cpu", "1", "memory", "64Mi"), "Running"), // guaranteed: at the root
                pod(Map.of(), Map.of(), "Running"),                            // best effort
                pod(Map.of("cpu", "2"), Map.of(), "Succeeded")));              // finished: no longer counts
        assertEquals("768", Files.readString(shares)); // 750m -> 750 * 1024 / 1000

        cgroups.resizeBurstable(List.of());
        assertEquals("2", Files.readString(shares)); // upstream's minimum weight
    }
}
