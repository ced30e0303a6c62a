package dev.timon.registry;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * How a resource maps onto the autoscaling/v1 Scale that its {@code /scale} subresource serves.
 *
 * @param desired     spec.replicas
 * @param setDesired  writes spec.replicas
 * @param current     status.replicas
 * @param selector    the label selector as a string, as Scale.status.selector carries it
 */
public record ScalePolicy<T extends HasMetadata>(Function<T, Integer> desired, BiConsumer<T, Integer> setDesired,
                                                 Function<T, Integer> current, Function<T, String> selector) {
}
