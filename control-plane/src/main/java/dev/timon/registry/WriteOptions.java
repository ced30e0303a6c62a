package dev.timon.registry;

/**
 * How a write is carried out.
 *
 * @param dryRun       run defaulting, validation and admission, store nothing
 * @param fieldManager who makes the change, recorded in managedFields as an Update; null when the caller
 *                     records ownership itself (server-side apply)
 */
public record WriteOptions(boolean dryRun, String fieldManager) {
}
