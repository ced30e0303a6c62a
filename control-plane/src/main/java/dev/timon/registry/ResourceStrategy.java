package dev.timon.registry;

import dev.timon.apimachinery.FieldErrors;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What is particular to one resource when it is written, as an apiserver registry strategy: defaults,
 * validation, what create and update reset, and keys it reserves in storage alongside the object.
 * Everything else (metadata, concurrency, status split, generation, finalizers) is generic.
 */
public interface ResourceStrategy<T extends HasMetadata> {

    /** Whether spec changes bump metadata.generation (workloads do; configmaps do not). */
    default boolean tracksGeneration() {
        return false;
    }

    /** Clears what a client may not set on create, e.g. the status of a Deployment. */
    default void prepareForCreate(T object) {
    }

    /** Fills the fields upstream defaults, so stored objects read as they do on a real cluster. */
    default void applyDefaults(T object) {
    }

    default void validate(T object, FieldErrors errors) {
    }

    /** Extra checks on create only; {@link #validate} runs too. */
    default void validateCreate(T object, FieldErrors errors) {
    }

    /** Extra checks on update, e.g. immutable fields; {@link #validate} runs too. */
    default void validateUpdate(T object, T old, FieldErrors errors) {
    }

    /** How long an object lives after its last write (events: an hour, as upstream's --event-ttl); empty: forever. */
    default Optional<Duration> timeToLive() {
        return Optional.empty();
    }

    /** Whether PUT of a missing object creates it (Endpoints, Events and Leases allow it upstream). */
    default boolean allowCreateOnUpdate() {
        return false;
    }

    /** Storage keys this object reserves (allocated IPs, node ports), written and freed with it atomically. */
    default Map<String, String> reservations(T object) {
        return Map.of();
    }

    /**
     * Allocates what the object asks the server to pick (a ClusterIP, a NodePort), skipping keys in use.
     * Called before validation; {@code taken} tells whether a reservation key is already held.
     */
    default void allocate(T object, T old, Allocator taken) {
    }

    /** Whether {@link #allocate} may pick anything: a create then works on a copy, to allocate anew on a retry. */
    default boolean allocates() {
        return false;
    }

    /**
     * The grace period for a graceful deletion, or empty to delete at once. Pods bound to a node wait for
     * their node agent to stop them; everything else goes immediately.
     */
    default OptionalLong gracePeriod(T object, Long requestedSeconds) {
        return OptionalLong.empty();
    }

    /**
     * Whether something other than metadata.finalizers still holds a deleted object, e.g. a namespace's
     * spec.finalizers that its controller clears once the namespace is empty.
     */
    default boolean deletionHeld(T object) {
        return false;
    }

    /** Marks an object whose deletion is pending, e.g. a namespace's phase becomes Terminating. */
    default void prepareForDeletion(T object) {
    }

    /** Selectable fields beyond metadata.name and metadata.namespace, e.g. spec.nodeName for pods. */
    default Map<String, String> selectableFields(T object) {
        return Map.of();
    }

    /** The names of {@link #selectableFields}, for rejecting unsupported field selectors. */
    default List<String> selectableFieldNames() {
        return List.of();
    }

    /** Tells whether a reservation key is in use, so allocation can pick a free one. */
    interface Allocator {
        boolean isTaken(String reservationKey);
    }
}
