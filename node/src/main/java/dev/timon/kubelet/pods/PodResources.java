package dev.timon.kubelet.pods;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The limits of a pod's own cgroup, as upstream's ResourceConfigForPod (cgroup v1): CPU shares from the pod's
 * requests; a CFS quota and a memory limit only when every container declares that limit (Guaranteed pods always
 * do), so one unlimited container leaves the pod unlimited. A pod's figure is the sum over its app containers, or
 * the largest init container when that is more, since init containers run one at a time before them.
 *
 * @param cpuQuotaMicros CFS quota per {@link #CFS_PERIOD_US}, or null for none
 * @param memoryLimitBytes memory limit, or null for none
 */
public record PodResources(long cpuShares, Long cpuQuotaMicros, Long memoryLimitBytes) {
    public static final long CFS_PERIOD_US = 100_000;
    static final long MIN_SHARES = 2;
    static final long MAX_SHARES = 262_144;
    static final long MIN_QUOTA_US = 1_000;

    public static PodResources of(Pod pod) {
        var spec = pod.getSpec();
        String qos = Qos.of(pod);
        if (Qos.BEST_EFFORT.equals(qos)) {
            return new PodResources(MIN_SHARES, null, null);
        }
        var all = new java.util.ArrayList<Container>(spec.getInitContainers());
        all.addAll(spec.getContainers());
        boolean cpuLimited = all.stream().allMatch(c -> positive(Qos.limits(c).get("cpu")));
        boolean memoryLimited = all.stream().allMatch(c -> positive(Qos.limits(c).get("memory")));
        long shares = shares(cpuRequestMillis(pod));
        Long quota = cpuLimited
                ? quota(podTotal(spec.getInitContainers(), spec.getContainers(), c -> millis(Qos.limits(c).get("cpu")))) : null;
        Long memory = memoryLimited
                ? podTotal(spec.getInitContainers(), spec.getContainers(), c -> bytes(Qos.limits(c).get("memory"))) : null;
        return new PodResources(shares, quota, memory);
    }

    /** The pod's CPU request in millicores (upstream's PodRequests): its app containers', or its largest init container's. */
    public static long cpuRequestMillis(Pod pod) {
        return podTotal(pod.getSpec().getInitContainers(), pod.getSpec().getContainers(), c -> millis(Qos.requests(c).get("cpu")));
    }

    /** Upstream's MilliCPUToShares: 1024 shares per CPU, within [2, 262144]. */
    public static long shares(long milliCpu) {
        return Math.min(MAX_SHARES, Math.max(MIN_SHARES, milliCpu * 1024 / 1000));
    }

    /** Upstream's MilliCPUToQuota: 0 for no limit, else at least 1 ms per period. */
    static long quota(long milliCpu) {
        return milliCpu == 0 ? 0 : Math.max(MIN_QUOTA_US, milliCpu * CFS_PERIOD_US / 1000);
    }

    static long millis(Quantity quantity) {
        return quantity == null ? 0 : Quantity.getAmountInBytes(quantity).multiply(BigDecimal.valueOf(1000)).longValue();
    }

    private static long bytes(Quantity quantity) {
        return quantity == null ? 0 : Quantity.getAmountInBytes(quantity).longValue();
    }

    private static boolean positive(Quantity quantity) {
        return quantity != null && Quantity.getAmountInBytes(quantity).signum() > 0;
    }

    /** Sum over app containers, raised to the largest init container's figure. */
    private static long podTotal(List<Container> init, List<Container> app, Function<Container, Long> amount) {
        long sum = app.stream().mapToLong(amount::apply).sum();
        long initMax = init.stream().mapToLong(amount::apply).max().orElse(0);
        return Math.max(sum, initMax);
    }

    /** The figures as cgroup v1 files (controller.setting), in the order they must be written: period before quota. */
    public Map<String, Long> cgroupV1Files() {
        var files = new java.util.LinkedHashMap<String, Long>();
        files.put("cpu.shares", cpuShares);
        if (cpuQuotaMicros != null) {
            files.put("cpu.cfs_period_us", CFS_PERIOD_US);
            files.put("cpu.cfs_quota_us", cpuQuotaMicros);
        }
        if (memoryLimitBytes != null) {
            files.put("memory.limit_in_bytes", memoryLimitBytes);
        }
        return files;
    }
}
