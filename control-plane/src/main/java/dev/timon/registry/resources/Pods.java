package dev.timon.registry.resources;

import dev.timon.registry.printers.PodColumns;
import dev.timon.apimachinery.FieldErrors;
import dev.timon.registry.ResourceDefinition;
import dev.timon.registry.ResourceStrategy;
import dev.timon.registry.Subresource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/** core/v1 pods. */
public final class Pods {

    private Pods() {
    }

    public static ResourceDefinition<Pod> definition() {
        return ResourceDefinition.of(Pod.class, "", "v1", "Pod", "pods")
                .shortNames("po")
                .columns(PodColumns.columns())
                .inCategoryAll()
                .strategy(new Strategy())
                .subresources(Subresource.STATUS, Subresource.BINDING, Subresource.EVICTION, Subresource.LOG,
                        Subresource.EXEC, Subresource.ATTACH, Subresource.PORTFORWARD)
                .build();
    }

    static final class Strategy implements ResourceStrategy<Pod> {

        @Override
        public void prepareForCreate(Pod pod) {
            PodStatus status = new PodStatus();
            status.setPhase("Pending");
            pod.setStatus(status);
        }

        @Override
        public void applyDefaults(Pod pod) {
            if (pod.getSpec() == null) {
                return;
            }
            PodTemplates.applyDefaults(pod.getSpec());
            // Set on pods only, not on templates: upstream's pod defaulter and Priority admission do this.
            if (pod.getSpec().getEnableServiceLinks() == null) {
                pod.getSpec().setEnableServiceLinks(true);
            }
            if (pod.getSpec().getPreemptionPolicy() == null) {
                pod.getSpec().setPreemptionPolicy("PreemptLowerPriority");
            }
            if (pod.getSpec().getPriority() == null) {
                pod.getSpec().setPriority(0);
            }
            if (pod.getSpec().getServiceAccountName() == null) {
                pod.getSpec().setServiceAccountName("default");
            }
            addDefaultTolerations(pod);
            if (pod.getStatus() != null && pod.getStatus().getQosClass() == null) {
                pod.getStatus().setQosClass(qosClass(pod));
            }
        }

        /** The DefaultTolerationSeconds admission plugin: 300 s on not-ready and unreachable nodes. */
        private static void addDefaultTolerations(Pod pod) {
            List<Toleration> tolerations = pod.getSpec().getTolerations() == null
                    ? new ArrayList<>() : new ArrayList<>(pod.getSpec().getTolerations());
            for (String key : List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")) {
                boolean present = tolerations.stream().anyMatch(t -> key.equals(t.getKey())
                        && (t.getEffect() == null || "NoExecute".equals(t.getEffect())));
                if (!present) {
                    tolerations.add(new TolerationBuilder().withKey(key).withOperator("Exists")
                            .withEffect("NoExecute").withTolerationSeconds(300L).build());
                }
            }
            pod.getSpec().setTolerations(tolerations);
        }

        @Override
        public void validate(Pod pod, FieldErrors errors) {
            PodTemplates.validate(pod.getSpec(), "spec", errors);
        }

        @Override
        public void validateUpdate(Pod pod, Pod old, FieldErrors errors) {
            validatePhaseTransition(pod, old, errors);
            if (old.getSpec() != null && pod.getSpec() != null
                    && old.getSpec().getNodeName() != null
                    && !Objects.equals(old.getSpec().getNodeName(), pod.getSpec().getNodeName())) {
                errors.forbidden("spec.nodeName", "pod updates may not change fields other than `spec.containers[*].image`,"
                        + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
                        + "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
                        + "previously negative)");
            }
        }

        /** Upstream forbids a finished pod to run again: a late status write must not undo Succeeded or Failed. */
        private static void validatePhaseTransition(Pod pod, Pod old, FieldErrors errors) {
            String before = old.getStatus() == null ? null : old.getStatus().getPhase();
            String after = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if (("Succeeded".equals(before) || "Failed".equals(before)) && !Objects.equals(before, after)) {
                errors.forbidden("status.phase", "cannot transition from a terminal phase " + before + " to " + after);
            }
        }

        @Override
        public OptionalLong gracePeriod(Pod pod, Long requestedSeconds) {
            boolean terminal = pod.getStatus() != null
                    && ("Succeeded".equals(pod.getStatus().getPhase()) || "Failed".equals(pod.getStatus().getPhase()));
            if (pod.getSpec() == null || pod.getSpec().getNodeName() == null || terminal) {
                return OptionalLong.empty();
            }
            long seconds = requestedSeconds != null ? requestedSeconds
                    : Objects.requireNonNullElse(pod.getSpec().getTerminationGracePeriodSeconds(), 30L);
            return seconds <= 0 ? OptionalLong.empty() : OptionalLong.of(seconds);
        }

        @Override
        public Map<String, String> selectableFields(Pod pod) {
            Map<String, String> fields = new HashMap<>();
            if (pod.getSpec() != null) {
                fields.put("spec.nodeName", Objects.toString(pod.getSpec().getNodeName(), ""));
                fields.put("spec.restartPolicy", Objects.toString(pod.getSpec().getRestartPolicy(), ""));
                fields.put("spec.schedulerName", Objects.toString(pod.getSpec().getSchedulerName(), ""));
                fields.put("spec.serviceAccountName", Objects.toString(pod.getSpec().getServiceAccountName(), ""));
                fields.put("spec.hostNetwork", Boolean.toString(Boolean.TRUE.equals(pod.getSpec().getHostNetwork())));
            }
            if (pod.getStatus() != null) {
                fields.put("status.phase", Objects.toString(pod.getStatus().getPhase(), ""));
                fields.put("status.podIP", Objects.toString(pod.getStatus().getPodIP(), ""));
                fields.put("status.nominatedNodeName", Objects.toString(pod.getStatus().getNominatedNodeName(), ""));
            }
            return fields;
        }

        @Override
        public List<String> selectableFieldNames() {
            return List.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                    "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName");
        }
    }

    /** Guaranteed when every container limits and requests cpu and memory equally, BestEffort with none at all. */
    static String qosClass(Pod pod) {
        boolean anyResource = false;
        boolean guaranteed = true;
        for (Container c : PodTemplates.allContainers(pod.getSpec())) {
            Map<String, Quantity> requests = c.getResources() == null || c.getResources().getRequests() == null
                    ? Map.of() : c.getResources().getRequests();
            Map<String, Quantity> limits = c.getResources() == null || c.getResources().getLimits() == null
                    ? Map.of() : c.getResources().getLimits();
            anyResource |= !requests.isEmpty() || !limits.isEmpty();
            for (String resource : List.of("cpu", "memory")) {
                Quantity limit = limits.get(resource);
                Quantity request = requests.getOrDefault(resource, limit);
                if (limit == null || request == null
                        || limit.getNumericalAmount().compareTo(request.getNumericalAmount()) != 0) {
                    guaranteed = false;
                }
            }
        }
        return !anyResource ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }
}
