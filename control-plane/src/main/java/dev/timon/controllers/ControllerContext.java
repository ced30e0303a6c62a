package dev.timon.controllers;

import dev.timon.client.Informers;
import io.fabric8.kubernetes.client.KubernetesClient;

/** What a controller is built from: the client, the shared informers and an event recorder. */
public record ControllerContext(KubernetesClient client, Informers informers, EventRecorder events) {
}
