package dev.timon.registry;

/** Subresources a resource may serve; discovery lists them and the API server routes them. */
public enum Subresource {
    STATUS("status"),
    SCALE("scale"),
    BINDING("binding"),
    EVICTION("eviction"),
    LOG("log"),
    EXEC("exec"),
    ATTACH("attach"),
    PORTFORWARD("portforward"),
    PROXY("proxy"),
    FINALIZE("finalize");

    private final String path;

    Subresource(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }
}
