package dev.timon.kubelet.pods;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.timon.cri.CriClient;
import dev.timon.kubelet.env.EnvResolver;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import runtime.v1.Api.Capability;
import runtime.v1.Api.ContainerConfig;
import runtime.v1.Api.ContainerMetadata;
import runtime.v1.Api.Int64Value;
import runtime.v1.Api.KeyValue;
import runtime.v1.Api.LinuxContainerConfig;
import runtime.v1.Api.LinuxContainerResources;
import runtime.v1.Api.LinuxContainerSecurityContext;
import runtime.v1.Api.Mount;

/** Builds the CRI ContainerConfig for a pod's container, as upstream's kuberuntime does. */
public final class ContainerConfigs {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Upstream's defaults for unprivileged containers (securitycontext.ConvertToRuntimeMaskedPaths). */
    private static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware");
    private static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    private final long memoryCapacity;

    public ContainerConfigs(long memoryCapacity) {
        this.memoryCapacity = memoryCapacity;
    }

    /** A hash of the container's spec; a container whose hash changed is restarted, as upstream. */
    public static String hash(Container container) {
        try {
            return Integer.toHexString(JSON.writeValueAsString(container).hashCode());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code <container>/<restartCount>.log}, relative to the sandbox's log directory. */
    public static String logPath(Container container, int restartCount) {
        return Path.of(container.getName(), restartCount + ".log").toString();
    }

    public ContainerConfig build(Pod pod, Container container, int restartCount, String imageRef,
                                 Map<String, String> env, List<Mount> mounts) {
        var meta = pod.getMetadata();
        var builder = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(container.getName()).setAttempt(restartCount))
                .setImage(CriClient.image(imageRef))
                .addAllCommand(container.getCommand().stream().map(s -> EnvResolver.expand(s, env)).toList())
                .addAllArgs(container.getArgs().stream().map(s -> EnvResolver.expand(s, env)).toList())
                .setWorkingDir(container.getWorkingDir() == null ? "" : container.getWorkingDir())
                .addAllMounts(mounts)
                .setLogPath(logPath(container, restartCount))
                .setStdin(Boolean.TRUE.equals(container.getStdin()))
                .setStdinOnce(Boolean.TRUE.equals(container.getStdinOnce()))
                .setTty(Boolean.TRUE.equals(container.getTty()))
                .putLabels(RuntimeLabels.POD_UID, meta.getUid())
                .putLabels(RuntimeLabels.POD_NAME, meta.getName())
                .putLabels(RuntimeLabels.POD_NAMESPACE, meta.getNamespace())
                .putLabels(RuntimeLabels.CONTAINER_NAME, container.getName())
                .putAnnotations(RuntimeLabels.CONTAINER_HASH, hash(container))
                .putAnnotations(RuntimeLabels.RESTART_COUNT, Integer.toString(restartCount))
                .putAnnotations(RuntimeLabels.TERMINATION_GRACE, Long.toString(gracePeriod(pod)))
                .putAnnotations(TerminationMessages.PATH_ANNOTATION, nullToEmpty(container.getTerminationMessagePath()))
                .putAnnotations(TerminationMessages.POLICY_ANNOTATION, nullToEmpty(container.getTerminationMessagePolicy()))
                .setLinux(LinuxContainerConfig.newBuilder()
                        .setResources(resources(pod, container))
                        .setSecurityContext(security(pod, container)));
        env.forEach((k, v) -> builder.addEnvs(KeyValue.newBuilder().setKey(k).setValue(v)));
        return builder.build();
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    public static long gracePeriod(Pod pod) {
        Long grace = pod.getSpec().getTerminationGracePeriodSeconds();
        return grace == null ? 30 : grace;
    }

    LinuxContainerResources resources(Pod pod, Container container) {
        var requests = Qos.requests(container);
        var limits = Qos.limits(container);
        var builder = LinuxContainerResources.newBuilder();
        builder.setCpuShares(PodResources.shares(PodResources.millis(requests.get("cpu"))));
        long cpuLimit = PodResources.millis(limits.get("cpu"));
        if (cpuLimit > 0) {
            builder.setCpuPeriod(PodResources.CFS_PERIOD_US).setCpuQuota(PodResources.quota(cpuLimit));
        }
        Quantity memoryLimit = limits.get("memory");
        if (memoryLimit != null) {
            builder.setMemoryLimitInBytes(Quantity.getAmountInBytes(memoryLimit).longValue());
        }
        builder.setOomScoreAdj(oomScoreAdj(pod, requests.get("memory")));
        return builder.build();
    }

    /**
     * Upstream's per-QoS oom_score_adj, except that Guaranteed gets 0 instead of -997: the node runs without
     * CAP_SYS_RESOURCE, so the agent never asks for a negative score.
     */
    private long oomScoreAdj(Pod pod, Quantity memoryRequest) {
        return switch (Qos.of(pod)) {
            case Qos.GUARANTEED -> 0;
            case Qos.BEST_EFFORT -> 1000;
            default -> {
                long request = memoryRequest == null ? 0 : Quantity.getAmountInBytes(memoryRequest).longValue();
                long score = 1000 - 1000 * request / Math.max(1, memoryCapacity);
                yield Math.max(2, Math.min(999, score));
            }
        };
    }

    private static LinuxContainerSecurityContext security(Pod pod, Container container) {
        var builder = LinuxContainerSecurityContext.newBuilder().setNamespaceOptions(SandboxConfigs.namespaces(pod));
        var podContext = pod.getSpec().getSecurityContext();
        var context = container.getSecurityContext();
        Long user = context != null && context.getRunAsUser() != null ? context.getRunAsUser()
                : podContext != null ? podContext.getRunAsUser() : null;
        Long group = context != null && context.getRunAsGroup() != null ? context.getRunAsGroup()
                : podContext != null ? podContext.getRunAsGroup() : null;
        if (user != null) {
            builder.setRunAsUser(Int64Value.newBuilder().setValue(user));
        }
        if (group != null) {
            builder.setRunAsGroup(Int64Value.newBuilder().setValue(group));
        }
        if (podContext != null) {
            builder.addAllSupplementalGroups(podContext.getSupplementalGroups());
            if (podContext.getFsGroup() != null) {
                builder.addSupplementalGroups(podContext.getFsGroup());
            }
        }
        boolean privileged = context != null && Boolean.TRUE.equals(context.getPrivileged());
        builder.setPrivileged(privileged);
        if (!privileged) {
            builder.addAllMaskedPaths(MASKED_PATHS).addAllReadonlyPaths(READONLY_PATHS);
        }
        if (context != null) {
            if (context.getCapabilities() != null) {
                builder.setCapabilities(Capability.newBuilder()
                        .addAllAddCapabilities(context.getCapabilities().getAdd())
                        .addAllDropCapabilities(context.getCapabilities().getDrop()));
            }
            builder.setReadonlyRootfs(Boolean.TRUE.equals(context.getReadOnlyRootFilesystem()));
            builder.setNoNewPrivs(Boolean.FALSE.equals(context.getAllowPrivilegeEscalation()));
        }
        return builder.build();
    }
}
