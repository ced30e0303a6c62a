package dev.timon.registry.resources;

import dev.timon.registry.printers.DaemonSetColumns;
import dev.timon.registry.printers.StatefulSetColumns;
import dev.timon.registry.printers.ReplicaSetColumns;
import dev.timon.registry.printers.DeploymentColumns;
import dev.timon.apimachinery.FieldErrors;
import dev.timon.apimachinery.GoValue;
import dev.timon.apimachinery.LabelSelector;
import dev.timon.registry.ResourceDefinition;
import dev.timon.registry.ResourceStrategy;
import dev.timon.registry.ScalePolicy;
import dev.timon.registry.Subresource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDaemonSet;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateStatefulSetStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicy;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;

import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/** apps/v1 workloads: each owns pods through a selector and a pod template. */
public final class Workloads {

    private Workloads() {
    }

    public static ResourceDefinition<Deployment> deployments() {
        return ResourceDefinition.of(Deployment.class, "apps", "v1", "Deployment", "deployments")
                .shortNames("deploy")
                .columns(DeploymentColumns.columns())
                .inCategoryAll()
                .subresources(Subresource.STATUS)
                .scale(new ScalePolicy<>(d -> d.getSpec().getReplicas(), (d, n) -> d.getSpec().setReplicas(n),
                        d -> d.getStatus() == null ? 0 : Objects.requireNonNullElse(d.getStatus().getReplicas(), 0),
                        d -> selectorString(d.getSpec().getSelector())))
                .strategy(new TemplatedStrategy<>(Deployment::getSpec, d -> d.getSpec().getTemplate(), d -> d.getSpec().getSelector(),
                        d -> d.setStatus(new DeploymentStatus())) {
                    @Override
                    public void applyDefaults(Deployment d) {
                        DeploymentSpec spec = d.getSpec();
                        if (spec == null) {
                            return;
                        }
                        super.applyDefaults(d);
                        if (spec.getReplicas() == null) {
                            spec.setReplicas(1);
                        }
                        if (spec.getStrategy() == null || spec.getStrategy().getType() == null) {
                            spec.setStrategy(new DeploymentStrategy(null, "RollingUpdate"));
                        }
                        if ("RollingUpdate".equals(spec.getStrategy().getType()) && spec.getStrategy().getRollingUpdate() == null) {
                            spec.getStrategy().setRollingUpdate(new RollingUpdateDeployment(new IntOrString("25%"), new IntOrString("25%")));
                        }
                        if (spec.getRevisionHistoryLimit() == null) {
                            spec.setRevisionHistoryLimit(10);
                        }
                        if (spec.getProgressDeadlineSeconds() == null) {
                            spec.setProgressDeadlineSeconds(600);
                        }
                    }
                })
                .build();
    }

    public static ResourceDefinition<ReplicaSet> replicaSets() {
        return ResourceDefinition.of(ReplicaSet.class, "apps", "v1", "ReplicaSet", "replicasets")
                .shortNames("rs")
                .columns(ReplicaSetColumns.columns())
                .inCategoryAll()
                .subresources(Subresource.STATUS)
                .scale(new ScalePolicy<>(r -> r.getSpec().getReplicas(), (r, n) -> r.getSpec().setReplicas(n),
                        r -> r.getStatus() == null ? 0 : Objects.requireNonNullElse(r.getStatus().getReplicas(), 0),
                        r -> selectorString(r.getSpec().getSelector())))
                .strategy(new TemplatedStrategy<>(ReplicaSet::getSpec, r -> r.getSpec().getTemplate(), r -> r.getSpec().getSelector(),
                        r -> r.setStatus(new ReplicaSetStatus())) {
                    @Override
                    public void applyDefaults(ReplicaSet r) {
                        if (r.getSpec() == null) {
                            return;
                        }
                        super.applyDefaults(r);
                        if (r.getSpec().getReplicas() == null) {
                            r.getSpec().setReplicas(1);
                        }
                    }
                })
                .build();
    }

    public static ResourceDefinition<StatefulSet> statefulSets() {
        return ResourceDefinition.of(StatefulSet.class, "apps", "v1", "StatefulSet", "statefulsets")
                .shortNames("sts")
                .columns(StatefulSetColumns.columns())
                .inCategoryAll()
                .subresources(Subresource.STATUS)
                .scale(new ScalePolicy<>(s -> s.getSpec().getReplicas(), (s, n) -> s.getSpec().setReplicas(n),
                        s -> s.getStatus() == null ? 0 : Objects.requireNonNullElse(s.getStatus().getReplicas(), 0),
                        s -> selectorString(s.getSpec().getSelector())))
                .strategy(new TemplatedStrategy<>(StatefulSet::getSpec, s -> s.getSpec().getTemplate(), s -> s.getSpec().getSelector(),
                        s -> s.setStatus(new StatefulSetStatus())) {
                    @Override
                    public void applyDefaults(StatefulSet s) {
                        StatefulSetSpec spec = s.getSpec();
                        if (spec == null) {
                            return;
                        }
                        super.applyDefaults(s);
                        if (spec.getReplicas() == null) {
                            spec.setReplicas(1);
                        }
                        if (spec.getPodManagementPolicy() == null) {
                            spec.setPodManagementPolicy("OrderedReady");
                        }
                        if (spec.getUpdateStrategy() == null || spec.getUpdateStrategy().getType() == null) {
                            spec.setUpdateStrategy(new StatefulSetUpdateStrategy(null, "RollingUpdate"));
                        }
                        if ("RollingUpdate".equals(spec.getUpdateStrategy().getType())
                                && spec.getUpdateStrategy().getRollingUpdate() == null) {
                            spec.getUpdateStrategy().setRollingUpdate(new RollingUpdateStatefulSetStrategy(null, 0));
                        }
                        if (spec.getRevisionHistoryLimit() == null) {
                            spec.setRevisionHistoryLimit(10);
                        }
                        if (spec.getPersistentVolumeClaimRetentionPolicy() == null) {
                            spec.setPersistentVolumeClaimRetentionPolicy(
                                    new StatefulSetPersistentVolumeClaimRetentionPolicy("Retain", "Retain"));
                        }
                    }
                })
                .build();
    }

    public static ResourceDefinition<DaemonSet> daemonSets() {
        return ResourceDefinition.of(DaemonSet.class, "apps", "v1", "DaemonSet", "daemonsets")
                .shortNames("ds")
                .columns(DaemonSetColumns.columns())
                .inCategoryAll()
                .subresources(Subresource.STATUS)
                .strategy(new TemplatedStrategy<>(DaemonSet::getSpec, d -> d.getSpec().getTemplate(), d -> d.getSpec().getSelector(),
                        d -> d.setStatus(new DaemonSetStatus())) {
                    @Override
                    public void applyDefaults(DaemonSet d) {
                        DaemonSetSpec spec = d.getSpec();
                        if (spec == null) {
                            return;
                        }
                        super.applyDefaults(d);
                        if (spec.getUpdateStrategy() == null || spec.getUpdateStrategy().getType() == null) {
                            spec.setUpdateStrategy(new DaemonSetUpdateStrategy(null, "RollingUpdate"));
                        }
                        if ("RollingUpdate".equals(spec.getUpdateStrategy().getType())
                                && spec.getUpdateStrategy().getRollingUpdate() == null) {
                            spec.getUpdateStrategy().setRollingUpdate(new RollingUpdateDaemonSet(new IntOrString(0), new IntOrString(1)));
                        }
                        if (spec.getRevisionHistoryLimit() == null) {
                            spec.setRevisionHistoryLimit(10);
                        }
                    }
                })
                .build();
    }

    /** A map selector (ReplicationController's) in the string form Scale.status.selector carries. */
    static String mapSelectorString(Map<String, String> selector) {
        StringBuilder s = new StringBuilder();
        new TreeMap<>(selector).forEach((k, v) -> s.append(s.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return s.toString();
    }

    /** metav1.FormatLabelSelector's string form, as Scale.status.selector carries it. */
    static String selectorString(io.fabric8.kubernetes.api.model.LabelSelector selector) {
        if (selector == null) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> s.append(s.length() == 0 ? "" : ",").append(e.getKey()).append('=').append(e.getValue()));
        }
        if (selector.getMatchExpressions() != null) {
            selector.getMatchExpressions().forEach(e -> {
                s.append(s.length() == 0 ? "" : ",");
                switch (e.getOperator()) {
                    case "In" -> s.append(e.getKey()).append(" in (").append(String.join(",", e.getValues())).append(')');
                    case "NotIn" -> s.append(e.getKey()).append(" notin (").append(String.join(",", e.getValues())).append(')');
                    case "Exists" -> s.append(e.getKey());
                    default -> s.append('!').append(e.getKey());
                }
            });
        }
        return s.toString();
    }

    /**
     * The strategy every workload with a selector and a pod template shares: generation tracking, status
     * reset on create, template defaults, a selector that must match the template and may never change.
     */
    static class TemplatedStrategy<T extends HasMetadata> implements ResourceStrategy<T> {
        private final Function<T, Object> spec;
        private final Function<T, PodTemplateSpec> template;
        private final Function<T, io.fabric8.kubernetes.api.model.LabelSelector> selector;
        private final Consumer<T> resetStatus;

        TemplatedStrategy(Function<T, Object> spec, Function<T, PodTemplateSpec> template,
                          Function<T, io.fabric8.kubernetes.api.model.LabelSelector> selector, Consumer<T> resetStatus) {
            this.spec = spec;
            this.template = template;
            this.selector = selector;
            this.resetStatus = resetStatus;
        }

        @Override
        public boolean tracksGeneration() {
            return true;
        }

        @Override
        public void prepareForCreate(T object) {
            resetStatus.accept(object);
        }

        @Override
        public void applyDefaults(T object) {
            if (spec.apply(object) != null) {
                PodTemplates.applyDefaults(template.apply(object));
            }
        }

        @Override
        public void validate(T object, FieldErrors errors) {
            if (spec.apply(object) == null) {
                errors.required("spec");
                return;
            }
            validateTemplated(template.apply(object), selector.apply(object), "spec", errors);
        }

        @Override
        public void validateUpdate(T object, T old, FieldErrors errors) {
            if (spec.apply(object) != null && spec.apply(old) != null
                    && !Objects.equals(selector.apply(object), selector.apply(old))) {
                errors.invalid("spec.selector", new GoValue(goFormat(selector.apply(object))), "field is immutable");
            }
        }
    }

    /**
     * A selector printed as Go's %#v prints a metav1.LabelSelector, which is what upstream's immutable
     * selector error shows.
     */
    static String goFormat(io.fabric8.kubernetes.api.model.LabelSelector selector) {
        if (selector == null) {
            return "(*v1.LabelSelector)(nil)";
        }
        StringBuilder s = new StringBuilder("v1.LabelSelector{MatchLabels:");
        if (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty()) {
            s.append("map[string]string(nil)");
        } else {
            s.append("map[string]string{");
            StringJoiner entries = new StringJoiner(", ");
            new TreeMap<>(selector.getMatchLabels()).forEach((k, v) -> entries.add("\"" + k + "\":\"" + v + "\""));
            s.append(entries).append('}');
        }
        s.append(", MatchExpressions:");
        if (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty()) {
            s.append("[]v1.LabelSelectorRequirement(nil)");
        } else {
            StringJoiner items = new StringJoiner(", ", "[]v1.LabelSelectorRequirement{", "}");
            selector.getMatchExpressions().forEach(e -> {
                StringJoiner values = new StringJoiner(", ", "[]string{", "}");
                if (e.getValues() != null) {
                    e.getValues().forEach(v -> values.add("\"" + v + "\""));
                }
                items.add("v1.LabelSelectorRequirement{Key:\"" + e.getKey() + "\", Operator:\"" + e.getOperator()
                        + "\", Values:" + (e.getValues() == null ? "[]string(nil)" : values.toString()) + "}");
            });
            s.append(items);
        }
        return s.append('}').toString();
    }

    /** A selector that is required, non-empty and matches the template's labels. */
    static void validateTemplated(PodTemplateSpec template, io.fabric8.kubernetes.api.model.LabelSelector selector,
                                  String path, FieldErrors errors) {
        if (selector == null || (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty())) {
            errors.required(path + ".selector");
        }
        if (template == null) {
            errors.required(path + ".template");
            return;
        }
        if (selector != null && template.getMetadata() != null
                && !LabelSelector.of(selector).matches(template.getMetadata().getLabels())) {
            errors.invalid(path + ".template.metadata.labels", template.getMetadata().getLabels(),
                    "`selector` does not match template `labels`");
        }
        PodTemplates.validate(template.getSpec(), path + ".template.spec", errors);
    }
}
