package dev.timon.apimachinery;

/** One entry of a Status's details.causes: what is wrong with which field. */
public record StatusCause(String reason, String message, String field) {

    /** A create refused because its namespace is being deleted (upstream's NamespaceTerminatingCause). */
    public static final String NAMESPACE_TERMINATING = "NamespaceTerminating";
}
