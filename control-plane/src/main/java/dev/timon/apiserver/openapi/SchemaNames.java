package dev.timon.apiserver.openapi;

import com.google.protobuf.Descriptors.Descriptor;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubernetes.client.proto.Meta;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Upstream's schema names (Go package path reversed, plus type name) for fabric8 model classes. fabric8 puts
 * core/v1 and apimachinery's meta/v1 types in one Java package, so meta/v1 membership is read from the message
 * names of apimachinery's protobuf file (client-java-proto) instead of being listed here.
 */
final class SchemaNames {

    static final String META_V1 = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    static final String TIME = META_V1 + "Time";
    static final String MICRO_TIME = META_V1 + "MicroTime";
    static final String PATCH = META_V1 + "Patch";

    static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

    private static final Set<String> META_TYPES =
            Meta.getDescriptor().getMessageTypes().stream().map(Descriptor::getName).collect(Collectors.toSet());

    private static final Map<Class<?>, String> SPECIAL = Map.of(
            Quantity.class, QUANTITY,
            IntOrString.class, INT_OR_STRING,
            MicroTime.class, MICRO_TIME);

    private SchemaNames() {
    }

    static boolean isModel(Class<?> type) {
        return type.getName().startsWith(MODEL_PACKAGE + ".");
    }

    /** io.k8s.api.apps.v1.Deployment for fabric8's apps Deployment, io.k8s.api.core.v1.Pod for Pod, ... */
    static String of(Class<?> modelClass) {
        String special = SPECIAL.get(modelClass);
        if (special != null) {
            return special;
        }
        String simpleName = modelClass.getSimpleName();
        String pkg = modelClass.getPackageName();
        if (pkg.equals(MODEL_PACKAGE)) {
            return (META_TYPES.contains(simpleName) ? META_V1 : "io.k8s.api.core.v1.") + simpleName;
        }
        String groupVersion = pkg.substring(MODEL_PACKAGE.length() + 1);
        // fabric8's apps package carries no version segment; every other group's package ends in one.
        if (!groupVersion.matches(".*\\.v\\d+((alpha|beta)\\d+)?")) {
            groupVersion += ".v1";
        }
        return "io.k8s.api." + groupVersion + "." + simpleName;
    }
}
