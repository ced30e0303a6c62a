package dev.timon.kubelet.pods;

/** The CRI labels and annotations upstream's kubelet puts on sandboxes and containers; adoption relies on them. */
public final class RuntimeLabels {
    public static final String POD_UID = "io.kubernetes.pod.uid";
    public static final String POD_NAME = "io.kubernetes.pod.name";
    public static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
    public static final String CONTAINER_NAME = "io.kubernetes.container.name";
    public static final String CONTAINER_HASH = "io.kubernetes.container.hash";
    public static final String RESTART_COUNT = "io.kubernetes.container.restartCount";
    public static final String TERMINATION_GRACE = "io.kubernetes.pod.terminationGracePeriod";

    private RuntimeLabels() {
    }
}
