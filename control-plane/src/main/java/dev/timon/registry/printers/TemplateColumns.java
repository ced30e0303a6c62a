package dev.timon.registry.printers;

import dev.timon.registry.TableColumn;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

import java.util.List;
import java.util.function.Function;

/** The wide Containers, Images and Selector columns the workload controllers share. */
final class TemplateColumns {

    private TemplateColumns() {
    }

    static <T> TableColumn<T> containers(Function<T, PodTemplateSpec> template) {
        return TableColumn.wide("Containers", "string", "Names of the containers in the pod template.",
                o -> join(template.apply(o), Container::getName));
    }

    static <T> TableColumn<T> images(Function<T, PodTemplateSpec> template) {
        return TableColumn.wide("Images", "string", "Images the pod template's containers run.",
                o -> join(template.apply(o), Container::getImage));
    }

    /** {@code rendered} picks the rendering: most kinds use LabelSelectors.format, Deployments the plain form. */
    static <T> TableColumn<T> selector(Function<T, String> rendered) {
        return TableColumn.wide("Selector", "string", "Label query selecting the pods this object manages.",
                rendered::apply);
    }

    static PodSpec spec(PodTemplateSpec template) {
        return template == null || template.getSpec() == null ? new PodSpec() : template.getSpec();
    }

    private static String join(PodTemplateSpec template, Function<Container, String> field) {
        List<Container> containers = CommonColumns.list(spec(template).getContainers());
        return String.join(",", containers.stream().map(field).map(CommonColumns::text).toList());
    }
}
