package dev.timon.controllers;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.timon.client.Informers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The revision history of a DaemonSet or StatefulSet in ControllerRevisions, as upstream's controller history:
 * one revision per distinct pod template, named {@code <owner>-<hash>}, numbered in the order the templates
 * became current (going back to an old template renumbers its revision as the newest), holding the template as
 * the strategic merge patch `kubectl rollout undo` sends back: {@code {"spec":{"template":{..., "$patch":"replace"}}}}.
 */
public final class ControllerHistory {

    /** Keys sorted, as Go writes the map upstream stores, so kubectl finds the current template byte for byte. */
    private static final ObjectMapper SORTED = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ControllerContext context;
    private final String hashLabel;

    /** @param hashLabel the label carrying the hash on each revision (upstream's differs between the two kinds) */
    public ControllerHistory(ControllerContext context, String hashLabel) {
        this.context = context;
        this.hashLabel = hashLabel;
        context.informers().forType(ControllerRevision.class);
    }

    /** The revisions {@code owner} controls, oldest revision first. */
    public List<ControllerRevision> revisions(HasMetadata owner) {
        String uid = owner.getMetadata().getUid();
        return context.informers().byIndex(ControllerRevision.class, Informers.BY_OWNER, uid).stream()
                .filter(r -> ObjectKeys.controllerOf(r).map(ref -> uid.equals(ref.getUid())).orElse(false))
                .sorted(Comparator.comparingLong(ControllerHistory::number))
                .toList();
    }

    /**
     * The revision of {@code template}: the existing one with this hash, renumbered to follow every other
     * revision if an older template was current since, or a new one numbered next.
     */
    public ControllerRevision record(HasMetadata owner, PodTemplateSpec template, String hash, List<ControllerRevision> revisions) {
        ControllerRevision existing = revisions.stream().filter(r -> hash.equals(label(r))).reduce((a, b) -> b).orElse(null);
        long next = revisions.stream().filter(r -> r != existing).mapToLong(ControllerHistory::number).max().orElse(0) + 1;
        if (existing != null) {
            return number(existing) >= next ? existing : renumber(existing, next);
        }
        Map<String, String> labels = new HashMap<>(template.getMetadata() == null || template.getMetadata().getLabels() == null
                ? Map.of() : template.getMetadata().getLabels());
        labels.put(hashLabel, hash);
        ControllerRevision revision = new ControllerRevisionBuilder()
                .withNewMetadata()
                .withName(owner.getMetadata().getName() + "-" + hash)
                .withNamespace(owner.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(owner.getMetadata().getAnnotations() == null ? null : new HashMap<>(owner.getMetadata().getAnnotations()))
                .withOwnerReferences(PodControl.controllerRef(owner))
                .endMetadata()
                .withData(patch(template))
                .withRevision(next)
                .build();
        try {
            return context.client().resource(revision).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // Created by an earlier sync whose revision the cache has not shown yet: use that one, if it is ours.
            ControllerRevision stored = context.client().resources(ControllerRevision.class)
                    .inNamespace(owner.getMetadata().getNamespace()).withName(revision.getMetadata().getName()).get();
            boolean ours = stored != null && ObjectKeys.controllerOf(stored)
                    .map(ref -> ref.getUid().equals(owner.getMetadata().getUid())).orElse(false);
            if (!ours) {
                throw e;
            }
            return number(stored) >= next ? stored : renumber(stored, next);
        }
    }

    private ControllerRevision renumber(ControllerRevision revision, long number) {
        ControllerRevision copy = context.client().getKubernetesSerialization().clone(revision);
        copy.setRevision(number);
        return context.client().resource(copy).update();
    }

    /**
     * Deletes the oldest revisions beyond {@code limit} (upstream's revisionHistoryLimit), never one named in
     * {@code keep}: the current and update revisions and those pods still run.
     */
    public void truncate(List<ControllerRevision> revisions, Set<String> keep, int limit) {
        List<ControllerRevision> old = revisions.stream().filter(r -> !keep.contains(r.getMetadata().getName())).toList();
        for (ControllerRevision revision : old.subList(0, Math.max(0, old.size() - limit))) {
            try {
                context.client().resource(revision).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
    }

    /** The pod template a revision recorded. */
    public static PodTemplateSpec template(ControllerRevision revision) {
        JsonNode template = SORTED.valueToTree(revision.getData()).path("spec").path("template").deepCopy();
        if (template instanceof ObjectNode object) {
            object.remove("$patch");
        }
        return SORTED.convertValue(template, PodTemplateSpec.class);
    }

    /** What upstream stores in a revision's data (getPatch): the template, replacing the whole of spec.template. */
    static Map<String, Object> patch(PodTemplateSpec template) {
        Map<String, Object> replaced = new HashMap<>(SORTED.convertValue(template, MAP));
        replaced.put("$patch", "replace");
        try {
            // Written with sorted keys and read back, so every level keeps that order when the client sends it.
            return SORTED.readValue(SORTED.writeValueAsBytes(Map.of("spec", Map.of("template", replaced))), MAP);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static long number(ControllerRevision revision) {
        return Objects.requireNonNullElse(revision.getRevision(), 0L);
    }

    private String label(ControllerRevision revision) {
        return revision.getMetadata().getLabels() == null ? null : revision.getMetadata().getLabels().get(hashLabel);
    }
}
