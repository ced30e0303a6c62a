package dev.timon.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Pods (and other objects) a workload controller creates and owns: built from its template, referencing it. */
public final class OwnedPods {

    private OwnedPods() {
    }

    /** The controller reference upstream puts on everything a controller creates. */
    public static OwnerReference controllerRef(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    /**
     * A pod from {@code template} owned by {@code owner}: the template's labels, annotations and spec, with
     * {@code extraLabels} added. The name is left to the caller (name or generateName).
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

    /** Pods whose controller reference points at {@code owner}, from the informers' owner index. */
    public static List<Pod> controlledBy(HasMetadata owner, dev.timon.client.Informers informers) {
        String uid = owner.getMetadata().getUid();
        return informers.byIndex(Pod.class, dev.timon.client.Informers.BY_OWNER, uid).stream()
                .filter(p -> ObjectKeys.controllerOf(p).map(r -> uid.equals(r.getUid())).orElse(false))
                .toList();
    }

    public static boolean isFinished(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** Not finished and not being deleted: what upstream counts as an active pod. */
    public static boolean isActive(Pod pod) {
        return !isFinished(pod) && !ObjectKeys.isDeleting(pod);
    }

    public static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
