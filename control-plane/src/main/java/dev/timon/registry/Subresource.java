package dev.timon.registry;

/** Subresources a resource may serve; discovery lists them and the API server routes them. */
public enum Subresource {
    STATUS("status", false),
    SCALE("scale", false),
    BINDING("binding", false),
    EVICTION("eviction", false),
    LOG("log", true),
    EXEC("exec", true),
    ATTACH("attach", true),
    PORTFORWARD("portforward", true),
    PROXY("proxy", true),
    FINALIZE("finalize", false);

    private final String path;
    private final boolean streams;

    Subresource(String path, boolean streams) {
        this.path = path;
        this.streams = streams;
    }

    public String path() {
        return path;
    }

    /** Whether the subresource streams from the pod's node (logs, exec, port-forward) rather than storage. */
    public boolean streams() {
        return streams;
    }
}
