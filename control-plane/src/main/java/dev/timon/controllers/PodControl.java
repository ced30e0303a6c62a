package dev.timon.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.HashMap;
import java.util.List;

/** Creates and deletes the pods of a workload controller, recording the upstream events for both. */
public final class PodControl {

    private final KubernetesClient client;
    private final EventRecorder events;

    public PodControl(KubernetesClient client, EventRecorder events) {
        this.client = client;
        this.events = events;
    }

    public static OwnerReference controllerRef(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    /** Creates a pod from the template, named generateName-xxxxx and controlled by the owner. */
    public Pod create(PodTemplateSpec template, HasMetadata owner, String generateName) {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withGenerateName(generateName)
                .withNamespace(owner.getMetadata().getNamespace())
                .withLabels(template.getMetadata() == null || template.getMetadata().getLabels() == null
                        ? new HashMap<>() : new HashMap<>(template.getMetadata().getLabels()))
                .withAnnotations(template.getMetadata() == null || template.getMetadata().getAnnotations() == null
                        ? null : new HashMap<>(template.getMetadata().getAnnotations()))
                .withFinalizers(template.getMetadata() == null ? null : template.getMetadata().getFinalizers())
                .withOwnerReferences(List.of(controllerRef(owner)))
                .endMetadata()
                .withSpec(template.getSpec())
                .build();
        Pod created = client.pods().inNamespace(owner.getMetadata().getNamespace()).resource(pod).create();
        events.normal(owner, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
        return created;
    }

    public void delete(Pod pod, HasMetadata owner) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
        events.normal(owner, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
    }
}
