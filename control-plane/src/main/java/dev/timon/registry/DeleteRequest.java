package dev.timon.registry;

/**
 * A DELETE's options (meta/v1 DeleteOptions): propagation, grace period, preconditions and dry run.
 *
 * @param propagationPolicy "Orphan", "Background", "Foreground", or null for the resource's default
 */
public record DeleteRequest(String propagationPolicy, Long gracePeriodSeconds, String preconditionUid,
                            String preconditionResourceVersion, boolean dryRun) {

    public static final DeleteRequest DEFAULT = new DeleteRequest(null, null, null, null, false);
}
