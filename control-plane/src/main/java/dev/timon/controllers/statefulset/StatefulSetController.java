package dev.timon.controllers.statefulset;

import dev.timon.controllers.Controller;
import dev.timon.controllers.ControllerContext;
import dev.timon.controllers.ControllerHistory;
import dev.timon.controllers.Expectations;
import dev.timon.controllers.ObjectKeys;
import dev.timon.controllers.ControllerRefs;
import dev.timon.controllers.PodConditions;
import dev.timon.controllers.PodControl;
import dev.timon.controllers.TemplateHash;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Pods named {@code <set>-0..N-1} with stable hostnames under the governing service, created, scaled and
 * updated in the order {@link StatefulSetPlan} decides. volumeClaimTemplates are ignored: Timon serves no
 * PersistentVolumeClaims. Each template is recorded as a ControllerRevision, named by the pods'
 * controller-revision-hash and by status.currentRevision/updateRevision; a pod below the partition is recreated
 * from the current revision's template, as upstream, and `kubectl rollout history|undo` read the revisions.
 */
public final class StatefulSetController extends Controller {

    static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
    static final String REVISION_LABEL = "controller-revision-hash";
    /** Upstream's ControllerRevisionHashLabel, on the StatefulSet's revisions. */
    static final String REVISION_HASH_LABEL = "controller.kubernetes.io/hash";

    private final ControllerContext context;
    private final Expectations expectations = new Expectations();
    private final ControllerHistory history;

    public StatefulSetController(ControllerContext context) {
        super("statefulset", 2);
        this.context = context;
        this.history = new ControllerHistory(context, REVISION_HASH_LABEL);
        context.informers().forType(StatefulSet.class).addEventHandler(enqueueing());
        context.informers().forType(Pod.class).addEventHandler(ownedPods("StatefulSet", expectations));
    }

    @Override
    protected void reconcile(String key) {
        StatefulSet sts = context.informers().get(StatefulSet.class, ObjectKeys.namespace(key), ObjectKeys.name(key));
        if (sts == null) {
            expectations.forget(key);
            return;
        }
        if (ObjectKeys.isDeleting(sts) || !expectations.satisfied(key)) {
            return;
        }
        String name = sts.getMetadata().getName();
        List<ControllerRevision> revisions = history.revisions(sts);
        String updateRevision = history.record(sts, sts.getSpec().getTemplate(), TemplateHash.of(sts.getSpec().getTemplate()),
                revisions).getMetadata().getName();
        String currentRevision = sts.getStatus() == null || sts.getStatus().getCurrentRevision() == null
                ? updateRevision : sts.getStatus().getCurrentRevision();
        PodTemplateSpec currentTemplate = revisions.stream().filter(r -> r.getMetadata().getName().equals(currentRevision))
                .findFirst().map(ControllerHistory::template).orElse(null);
        Map<Integer, Pod> pods = new HashMap<>();
        for (Pod pod : ControllerRefs.controlledBy(sts, context.informers())) {
            ordinal(name, pod.getMetadata().getName()).ifPresent(o -> pods.put(o, pod));
        }
        Map<Integer, StatefulSetPlan.PodState> states = new HashMap<>();
        pods.forEach((o, p) -> states.put(o, new StatefulSetPlan.PodState(revision(p),
                "Running".equals(p.getStatus().getPhase()) && PodConditions.isReady(p), ObjectKeys.isDeleting(p),
                "Failed".equals(p.getStatus().getPhase()))));
        int replicas = Objects.requireNonNullElse(sts.getSpec().getReplicas(), 1);
        boolean parallel = "Parallel".equals(sts.getSpec().getPodManagementPolicy());
        int partition = sts.getSpec().getUpdateStrategy() != null && "RollingUpdate".equals(sts.getSpec().getUpdateStrategy().getType())
                && sts.getSpec().getUpdateStrategy().getRollingUpdate() != null
                ? Objects.requireNonNullElse(sts.getSpec().getUpdateStrategy().getRollingUpdate().getPartition(), 0)
                : "OnDelete".equals(sts.getSpec().getUpdateStrategy() == null ? null : sts.getSpec().getUpdateStrategy().getType())
                ? Integer.MAX_VALUE : 0;
        StatefulSetPlan.Step step = StatefulSetPlan.next(replicas, parallel, partition, updateRevision, states);
        expectations.expectCreations(key, step.create().size());
        expectations.expectDeletions(key, step.delete().stream().map(o -> ObjectKeys.key(pods.get(o))).toList());
        for (int ordinal : step.create()) {
            // Below the partition a pod keeps the current revision, so it comes back as it was (upstream's
            // newVersionedStatefulSetPod); without the current revision's template, the update one is all there is.
            if (ordinal < partition && partition != Integer.MAX_VALUE && currentTemplate != null) {
                create(sts, currentTemplate, ordinal, currentRevision, key);
            } else {
                create(sts, sts.getSpec().getTemplate(), ordinal, updateRevision, key);
            }
        }
        for (int ordinal : step.delete()) {
            Pod pod = pods.get(ordinal);
            context.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
            context.events().normal(sts, "SuccessfulDelete", "delete Pod " + pod.getMetadata().getName()
                    + " in StatefulSet " + name + " successful");
        }
        updateStatus(sts, pods, updateRevision);
        // current and update are the same revision once a rollout is done: a List, as Set.of rejects duplicates.
        Set<String> live = new HashSet<>(List.of(currentRevision, updateRevision));
        pods.values().stream().map(StatefulSetController::revision).filter(Objects::nonNull).forEach(live::add);
        history.truncate(revisions, live, Objects.requireNonNullElse(sts.getSpec().getRevisionHistoryLimit(), 10));
    }

    private void create(StatefulSet sts, PodTemplateSpec template, int ordinal, String revision, String key) {
        String podName = sts.getMetadata().getName() + "-" + ordinal;
        Pod pod = PodControl.fromTemplate(template, sts, Map.of(POD_NAME_LABEL, podName,
                POD_INDEX_LABEL, String.valueOf(ordinal), REVISION_LABEL, revision));
        pod.getMetadata().setName(podName);
        pod.getSpec().setHostname(podName);
        pod.getSpec().setSubdomain(sts.getSpec().getServiceName());
        try {
            context.client().pods().inNamespace(sts.getMetadata().getNamespace()).resource(pod).create();
            context.events().normal(sts, "SuccessfulCreate", "create Pod " + podName + " in StatefulSet "
                    + sts.getMetadata().getName() + " successful");
        } catch (RuntimeException e) {
            expectations.creationObserved(key);
            context.events().warning(sts, "FailedCreate", "create Pod " + podName + " in StatefulSet "
                    + sts.getMetadata().getName() + " failed error: " + e.getMessage());
            throw e;
        }
    }

    private void updateStatus(StatefulSet sts, Map<Integer, Pod> pods, String updateRevision) {
        List<Pod> live = pods.values().stream().filter(p -> !ObjectKeys.isDeleting(p)).toList();
        int updated = (int) live.stream().filter(p -> updateRevision.equals(revision(p))).count();
        int replicas = Objects.requireNonNullElse(sts.getSpec().getReplicas(), 1);
        // A copy to change: the cached status is shared.
        StatefulSetStatus status = Objects.requireNonNullElseGet(new StatefulSetBuilder(sts).build().getStatus(), StatefulSetStatus::new);
        String currentRevision = status.getCurrentRevision() == null || updated == replicas && live.size() == replicas
                ? updateRevision : status.getCurrentRevision();
        status.setReplicas(live.size());
        status.setReadyReplicas((int) live.stream().filter(PodConditions::isReady).count());
        status.setAvailableReplicas(status.getReadyReplicas());
        status.setCurrentReplicas((int) live.stream().filter(p -> currentRevision.equals(revision(p))).count());
        status.setUpdatedReplicas(updated);
        status.setCurrentRevision(currentRevision);
        status.setUpdateRevision(updateRevision);
        status.setObservedGeneration(sts.getMetadata().getGeneration());
        status.setCollisionCount(0);
        if (!Objects.equals(status, sts.getStatus())) {
            // A plain write: on a conflict the key is retried from a fresh cache. This status carries fields over
            // from the cached one (currentRevision), which a stale copy would set back (see StatusWrites).
            context.client().resources(StatefulSet.class).inNamespace(sts.getMetadata().getNamespace())
                    .resource(new StatefulSetBuilder(sts).withStatus(status).build()).updateStatus();
        }
    }

    private static String revision(Pod pod) {
        return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(REVISION_LABEL);
    }

    /** The ordinal in "<set>-<n>", for pods of this set only. */
    static java.util.Optional<Integer> ordinal(String setName, String podName) {
        String prefix = setName + "-";
        if (!podName.startsWith(prefix)) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Integer.parseInt(podName.substring(prefix.length())));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }
}
