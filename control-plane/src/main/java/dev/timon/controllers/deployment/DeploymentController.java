package dev.timon.controllers.deployment;

import dev.timon.client.Informers;
import dev.timon.controllers.Controller;
import dev.timon.controllers.ControllerContext;
import dev.timon.controllers.ControllerRefs;
import dev.timon.controllers.ObjectKeys;
import dev.timon.controllers.PodConditions;
import dev.timon.controllers.PodControl;
import dev.timon.controllers.TemplateHash;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Rolls Deployments out through ReplicaSets, as upstream: the ReplicaSet whose template equals the Deployment's
 * is the new one (created with a pod-template-hash and the next revision), the others are old. RollingUpdate
 * grows the new one within maxSurge and shrinks old ones while keeping replicas - maxUnavailable available;
 * Recreate empties old ones first. Each sync makes at most one step and waits for the resulting events.
 */
public final class DeploymentController extends Controller {

    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
    /** Deployment annotations that are not copied to its ReplicaSets (upstream's skip list). */
    private static final Set<String> NOT_COPIED = Set.of(REVISION, DESIRED_REPLICAS, MAX_REPLICAS,
            "deployment.kubernetes.io/revision-history", "kubectl.kubernetes.io/last-applied-configuration");

    private final ControllerContext context;
    private final DeploymentStatusWriter statusWriter;

    public DeploymentController(ControllerContext context) {
        super("deployment", 4);
        this.context = context;
        this.statusWriter = new DeploymentStatusWriter(context.client(), queue);
        context.informers().forType(Deployment.class).addEventHandler(enqueueing());
        context.informers().forType(ReplicaSet.class).addEventHandler(on(this::enqueueOwner));
        context.informers().forType(Pod.class); // Recreate waits for old pods to be gone
    }

    private void enqueueOwner(ReplicaSet rs) {
        ObjectKeys.controllerOf(rs).filter(ref -> "Deployment".equals(ref.getKind()))
                .ifPresent(ref -> queue.add(ObjectKeys.key(rs.getMetadata().getNamespace(), ref.getName())));
    }

    @Override
    protected void reconcile(String key) {
        Deployment d = context.informers().get(Deployment.class, ObjectKeys.namespace(key), ObjectKeys.name(key));
        if (d == null) {
            return;
        }
        List<ReplicaSet> all = ControllerRefs.claim(context, d, d.getSpec().getSelector(), ReplicaSet.class);
        ReplicaSet newRs = all.stream()
                .filter(rs -> TemplateHash.equalIgnoringHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate()))
                .min(Comparator.comparing(rs -> rs.getMetadata().getCreationTimestamp()))
                .orElse(null);
        List<ReplicaSet> old = new ArrayList<>(all);
        old.remove(newRs);
        old.sort(Comparator.comparing(rs -> rs.getMetadata().getCreationTimestamp()));
        RolloutParameters p = RolloutParameters.of(d);
        boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
        boolean created = false;
        if (ObjectKeys.isDeleting(d)) {
            // Nothing to roll out or scale: the garbage collector takes the ReplicaSets.
        } else if (paused || isScalingEvent(newRs, old, p)) {
            resize(d, newRs, old, p);
        } else {
            if (newRs == null) {
                newRs = createNewReplicaSet(d, old, p);
                created = true;
            } else {
                newRs = syncRevision(d, newRs, old);
            }
            boolean recreate = d.getSpec().getStrategy() != null && "Recreate".equals(d.getSpec().getStrategy().getType());
            if (recreate) {
                rolloutRecreate(d, newRs, old, p);
            } else {
                rolloutRolling(d, newRs, old, p);
            }
            cleanUpHistory(d, old);
        }
        statusWriter.write(d, newRs, all, p, paused, created);
    }

    private ReplicaSet createNewReplicaSet(Deployment d, List<ReplicaSet> old, RolloutParameters p) {
        String hash = TemplateHash.of(d.getSpec().getTemplate(), d.getStatus() == null ? null : d.getStatus().getCollisionCount());
        PodTemplateSpec template = context.client().getKubernetesSerialization().clone(d.getSpec().getTemplate());
        Map<String, String> labels = new HashMap<>(Objects.requireNonNullElse(template.getMetadata().getLabels(), Map.of()));
        labels.put(TemplateHash.POD_TEMPLATE_HASH_LABEL, hash);
        template.getMetadata().setLabels(labels);
        LabelSelector selector = new LabelSelectorBuilder(d.getSpec().getSelector())
                .addToMatchLabels(TemplateHash.POD_TEMPLATE_HASH_LABEL, hash).build();
        int initial = 0;
        boolean recreate = d.getSpec().getStrategy() != null && "Recreate".equals(d.getSpec().getStrategy().getType());
        if (!recreate) {
            int current = old.stream().mapToInt(DeploymentController::replicas).sum();
            initial = Math.max(0, Math.min(p.replicas() + p.maxSurge() - current, p.replicas()));
        }
        Map<String, String> annotations = copiedAnnotations(d);
        annotations.put(REVISION, Long.toString(maxRevision(old) + 1));
        annotations.put(DESIRED_REPLICAS, Integer.toString(p.replicas()));
        annotations.put(MAX_REPLICAS, Integer.toString(p.replicas() + p.maxSurge()));
        ReplicaSet rs = new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(d.getMetadata().getName() + "-" + hash)
                .withNamespace(d.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(PodControl.controllerRef(d))
                .endMetadata()
                .withNewSpec()
                .withReplicas(initial)
                .withMinReadySeconds(d.getSpec().getMinReadySeconds())
                .withSelector(selector)
                .withTemplate(template)
                .endSpec()
                .build();
        ReplicaSet createdRs = context.client().apps().replicaSets().resource(rs).create();
        if (initial > 0) {
            scaledEvent(d, createdRs, 0, initial);
        }
        return createdRs;
    }

    /** The new ReplicaSet carries the highest revision (a rollback makes an old template new again). */
    private ReplicaSet syncRevision(Deployment d, ReplicaSet newRs, List<ReplicaSet> old) {
        long wanted = Math.max(revision(newRs), maxRevision(old) + 1);
        Map<String, String> annotations = new HashMap<>(Objects.requireNonNullElse(newRs.getMetadata().getAnnotations(), Map.of()));
        Map<String, String> desired = new HashMap<>(annotations);
        desired.putAll(copiedAnnotations(d));
        desired.put(REVISION, Long.toString(wanted));
        if (desired.equals(annotations)) {
            return newRs;
        }
        ReplicaSet copy = context.client().getKubernetesSerialization().clone(newRs);
        copy.getMetadata().setAnnotations(desired);
        return context.client().resource(copy).update();
    }

    private void rolloutRolling(Deployment d, ReplicaSet newRs, List<ReplicaSet> old, RolloutParameters p) {
        int newReplicas = replicas(newRs);
        int allReplicas = newReplicas + old.stream().mapToInt(DeploymentController::replicas).sum();
        if (newReplicas < p.replicas()) {
            int scaleUp = Math.min(p.replicas() + p.maxSurge() - allReplicas, p.replicas() - newReplicas);
            if (scaleUp > 0) {
                scale(d, newRs, newReplicas + scaleUp, p);
                return; // wait for the new pods before taking old ones away
            }
        } else if (newReplicas > p.replicas()) {
            scale(d, newRs, p.replicas(), p);
            return;
        }
        int oldReplicas = allReplicas - newReplicas;
        if (oldReplicas == 0) {
            return;
        }
        int newUnavailable = newReplicas - available(newRs);
        int maxScaleDown = allReplicas - p.minAvailable() - newUnavailable;
        // First old pods that are not available anyway: removing them costs no availability.
        for (ReplicaSet rs : old) {
            int unhealthy = replicas(rs) - available(rs);
            if (maxScaleDown <= 0) {
                return;
            }
            if (replicas(rs) > 0 && unhealthy > 0) {
                int down = Math.min(unhealthy, maxScaleDown);
                scale(d, rs, replicas(rs) - down, p);
                maxScaleDown -= down;
                return;
            }
        }
        int availableAll = available(newRs) + old.stream().mapToInt(DeploymentController::available).sum();
        int canRemove = Math.min(maxScaleDown, availableAll - p.minAvailable());
        for (ReplicaSet rs : old) {
            if (canRemove <= 0) {
                return;
            }
            int down = Math.min(replicas(rs), canRemove);
            if (down > 0) {
                scale(d, rs, replicas(rs) - down, p);
                canRemove -= down;
            }
        }
    }

    /**
     * Upstream's scaling event: an active ReplicaSet was last sized for another replica count than the
     * Deployment's, so the Deployment was scaled and the change is applied before any rollout step.
     */
    private static boolean isScalingEvent(ReplicaSet newRs, List<ReplicaSet> old, RolloutParameters p) {
        return active(newRs, old).stream().anyMatch(rs -> {
            String desired = annotation(rs, DESIRED_REPLICAS);
            return desired != null && !desired.equals(Integer.toString(p.replicas()));
        });
    }

    /**
     * Applies a replica change without rolling out (upstream's sync/scale), also while paused: one active
     * ReplicaSet (or the newest when none is active) takes the whole count; a saturated new one leaves old ones at
     * zero; several active ones under RollingUpdate share the change in proportion to their sizes.
     */
    private void resize(Deployment d, ReplicaSet newRs, List<ReplicaSet> old, RolloutParameters p) {
        List<ReplicaSet> active = active(newRs, old);
        if (active.size() <= 1) {
            ReplicaSet target = active.size() == 1 ? active.get(0)
                    : newRs != null ? newRs
                    : old.isEmpty() ? null : old.get(old.size() - 1);
            if (target != null) {
                scaleIfNeeded(d, target, p.replicas(), p);
            }
            return;
        }
        if (isSaturated(newRs, p)) {
            for (ReplicaSet rs : active) {
                if (rs != newRs) {
                    scaleIfNeeded(d, rs, 0, p);
                }
            }
            return;
        }
        boolean rolling = d.getSpec().getStrategy() == null || !"Recreate".equals(d.getSpec().getStrategy().getType());
        if (rolling) {
            int statusReplicas = d.getStatus() == null ? 0 : Objects.requireNonNullElse(d.getStatus().getReplicas(), 0);
            Map<String, Integer> sizes = ProportionalScaling.sizes(active, p.replicas(), p.maxSurge(), statusReplicas);
            for (ReplicaSet rs : active) {
                scaleIfNeeded(d, rs, sizes.get(rs.getMetadata().getName()), p);
            }
        }
    }

    private static List<ReplicaSet> active(ReplicaSet newRs, List<ReplicaSet> old) {
        List<ReplicaSet> active = new ArrayList<>(old.stream().filter(rs -> replicas(rs) > 0).toList());
        if (newRs != null && replicas(newRs) > 0) {
            active.add(newRs);
        }
        return active;
    }

    /** The new ReplicaSet runs the whole Deployment, sized for its current replica count. */
    private static boolean isSaturated(ReplicaSet newRs, RolloutParameters p) {
        return newRs != null && replicas(newRs) == p.replicas()
                && Integer.toString(p.replicas()).equals(annotation(newRs, DESIRED_REPLICAS))
                && available(newRs) == p.replicas();
    }

    /** Scales, or only refreshes the size annotations, so a ReplicaSet sized by hand ends the scaling event too. */
    private void scaleIfNeeded(Deployment d, ReplicaSet rs, int replicas, RolloutParameters p) {
        boolean annotated = Integer.toString(p.replicas()).equals(annotation(rs, DESIRED_REPLICAS))
                && Integer.toString(p.replicas() + p.maxSurge()).equals(annotation(rs, MAX_REPLICAS));
        if (replicas(rs) != replicas || !annotated) {
            scale(d, rs, replicas, p);
        }
    }

    static String annotation(ReplicaSet rs, String name) {
        return rs.getMetadata().getAnnotations() == null ? null : rs.getMetadata().getAnnotations().get(name);
    }

    private void rolloutRecreate(Deployment d, ReplicaSet newRs, List<ReplicaSet> old, RolloutParameters p) {
        boolean scaledDown = false;
        for (ReplicaSet rs : old) {
            if (replicas(rs) > 0) {
                scale(d, rs, 0, p);
                scaledDown = true;
            }
        }
        if (scaledDown) {
            return;
        }
        for (ReplicaSet rs : old) {
            boolean podsLeft = context.informers().byIndex(Pod.class, Informers.BY_OWNER, rs.getMetadata().getUid())
                    .stream().anyMatch(pod -> PodConditions.isActive(pod) || pod.getMetadata().getDeletionTimestamp() != null);
            if (podsLeft) {
                return; // the new pods start only once every old one is gone
            }
        }
        if (replicas(newRs) != p.replicas()) {
            scale(d, newRs, p.replicas(), p);
        }
    }

    private void scale(Deployment d, ReplicaSet rs, int replicas, RolloutParameters p) {
        int from = replicas(rs);
        ReplicaSet copy = context.client().getKubernetesSerialization().clone(rs);
        copy.getSpec().setReplicas(replicas);
        Map<String, String> annotations = new HashMap<>(Objects.requireNonNullElse(copy.getMetadata().getAnnotations(), Map.of()));
        annotations.put(DESIRED_REPLICAS, Integer.toString(p.replicas()));
        annotations.put(MAX_REPLICAS, Integer.toString(p.replicas() + p.maxSurge()));
        copy.getMetadata().setAnnotations(annotations);
        context.client().resource(copy).update(); // resourceVersion from the cache: a stale view fails here
        if (from != replicas) {
            scaledEvent(d, rs, from, replicas);
        }
    }

    private void scaledEvent(Deployment d, ReplicaSet rs, int from, int to) {
        String direction = to > from ? "up" : "down";
        context.events().normal(d, "ScalingReplicaSet", "Scaled " + direction + " replica set "
                + rs.getMetadata().getName() + " from " + from + " to " + to);
    }

    /** Deletes the oldest empty ReplicaSets beyond revisionHistoryLimit. */
    private void cleanUpHistory(Deployment d, List<ReplicaSet> old) {
        int limit = Objects.requireNonNullElse(d.getSpec().getRevisionHistoryLimit(), 10);
        List<ReplicaSet> empty = old.stream()
                .filter(rs -> replicas(rs) == 0 && (rs.getStatus() == null || Objects.requireNonNullElse(rs.getStatus().getReplicas(), 0) == 0))
                .filter(rs -> !ObjectKeys.isDeleting(rs))
                .sorted(Comparator.comparingLong(DeploymentController::revision))
                .toList();
        for (int i = 0; i < empty.size() - limit; i++) {
            ReplicaSet rs = empty.get(i);
            context.client().apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
                    .withName(rs.getMetadata().getName()).delete();
        }
    }

    private static Map<String, String> copiedAnnotations(Deployment d) {
        Map<String, String> copied = new HashMap<>();
        if (d.getMetadata().getAnnotations() != null) {
            d.getMetadata().getAnnotations().forEach((k, v) -> {
                if (!NOT_COPIED.contains(k)) {
                    copied.put(k, v);
                }
            });
        }
        return copied;
    }

    static int replicas(ReplicaSet rs) {
        return Objects.requireNonNullElse(rs.getSpec().getReplicas(), 0);
    }

    static int available(ReplicaSet rs) {
        return rs.getStatus() == null ? 0 : Objects.requireNonNullElse(rs.getStatus().getAvailableReplicas(), 0);
    }

    static long revision(ReplicaSet rs) {
        String value = annotation(rs, REVISION);
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long maxRevision(List<ReplicaSet> sets) {
        return sets.stream().mapToLong(DeploymentController::revision).max().orElse(0);
    }
}
