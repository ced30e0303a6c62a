package dev.timon.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Creates and deletes the pods of a workload controller, recording the upstream events for both. */
public final class PodControl {

    private final KubernetesClient client;
    private final EventRecorder events;

    public PodControl(KubernetesClient client, EventRecorder events) {
        this.client = client;
        this.events = events;
    }

    /** The controller reference upstream puts on everything a controller creates. */
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

    /**
     * A pod from {@code template} controlled by {@code owner}: the template's labels, annotations, finalizers and
     * (copied) spec, with {@code extraLabels} added. The name is left to the caller (name or generateName).
     */
    public static Pod fromTemplate(PodTemplateSpec template, HasMetadata owner, Map<String, String> extraLabels) {
        ObjectMeta templateMeta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        Map<String, String> labels = templateMeta.getLabels() == null ? new HashMap<>() : new HashMap<>(templateMeta.getLabels());
        labels.putAll(extraLabels);
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(owner.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(templateMeta.getAnnotations() == null ? null : new HashMap<>(templateMeta.getAnnotations()))
                .withFinalizers(templateMeta.getFinalizers())
                .withOwnerReferences(List.of(controllerRef(owner)))
                .endMetadata()
                .withSpec(new PodBuilder().withSpec(template.getSpec()).build().getSpec())
                .build();
    }

    /** Creates a pod from the template, named generateName-xxxxx and controlled by the owner. */
    public Pod create(PodTemplateSpec template, HasMetadata owner, String generateName) {
        Pod pod = fromTemplate(template, owner, Map.of());
        pod.getMetadata().setGenerateName(generateName);
        Pod created = client.pods().inNamespace(owner.getMetadata().getNamespace()).resource(pod).create();
        events.normal(owner, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
        return created;
    }

    public void delete(Pod pod, HasMetadata owner) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
        events.normal(owner, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
    }
}
