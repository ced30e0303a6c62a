package dev.timon.kubelet.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class PodResourcesTest {
    private static Pod pod(String containers) {
        return Serialization.unmarshal("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                """ + containers.indent(2), Pod.class);
    }

    @Test
    void guaranteedPodSumsItsContainersLimits() {
        var resources = PodResources.of(pod("""
                containers:
                - {name: a, resources: {limits: {cpu: 250m, memory: 32Mi}}}
                - {name: b, resources: {limits: {cpu: 500m, memory: 48Mi}}}
                """));
        assertEquals(new PodResources(768, 75_000L, 80L << 20), resources);
    }

    @Test
    void burstablePodWithOneUnlimitedContainerGetsNoMemoryLimitOrQuota() {
        var resources = PodResources.of(pod("""
                containers:
                - {name: a, resources: {requests: {cpu: 100m}, limits: {cpu: 200m, memory: 32Mi}}}
                - {name: b, resources: {requests: {cpu: 100m, memory: 16Mi}}}
                """));
        assertEquals(new PodResources(204, null, null), resources);
    }

    @Test
    void aLargerInitContainerRaisesThePodFigures() {
        var resources = PodResources.of(pod("""
                initContainers:
                - {name: init, resources: {limits: {cpu: "1", memory: 100Mi}}}
                containers:
                - {name: a, resources: {limits: {cpu: 200m, memory: 32Mi}}}
                - {name: b, resources: {limits: {cpu: 300m, memory: 32Mi}}}
                """));
        assertEquals(new PodResources(1024, 100_000L, 100L << 20), resources);
        assertEquals("{cpu.shares=1024, cpu.cfs_period_us=100000, cpu.cfs_quota_us=100000, memory.limit_in_bytes=104857600}",
                resources.cgroupV1Files().toString());
    }

    @Test
    void bestEffortPodGetsTheMinimumShares() {
        assertEquals(new PodResources(2, null, null), PodResources.of(pod("containers: [{name: a}]\n")));
    }
}
