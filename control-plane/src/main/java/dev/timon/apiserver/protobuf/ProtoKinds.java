package dev.timon.apiserver.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the protobuf message of an API kind from its apiVersion, the way go-to-protobuf names them: group
 * "apps" version "v1" lives in package {@code k8s.io.api.apps.v1}, the core group in {@code k8s.io.api.core.v1},
 * and a group with a domain uses its first label ("coordination.k8s.io" -> {@code k8s.io.api.coordination.v1}).
 * New kinds of a known group therefore need no table edit, only descriptors on the class path.
 */
final class ProtoKinds {

    /** Outer classes of io.kubernetes:client-java-proto holding the served group versions. */
    private static final List<String> OUTER_CLASSES = List.of("V1", "V1Apps", "V1Batch", "V1Autoscaling",
            "V1Authorization", "V1Authentication", "V1Policy", "V1Rbac", "V1Networking", "V1Storage",
            "V1Certificates", "V1Scheduling", "V1Admissionregistration", "Meta");

    private static final String META_PACKAGE = "k8s.io.apimachinery.pkg.apis.meta.";
    /** Option kinds every group version registers (metav1.AddToGroupVersion), e.g. "v1, Kind=DeleteOptions". */
    private static final Set<String> OPTION_KINDS = Set.of(
            "DeleteOptions", "ListOptions", "GetOptions", "CreateOptions", "UpdateOptions", "PatchOptions");
    private static final Set<String> OBJECT_META = Set.of(
            META_PACKAGE + "v1.ObjectMeta", META_PACKAGE + "v1.ListMeta");

    private static final Map<String, Descriptor> BY_FULL_NAME = index();

    private ProtoKinds() {
    }

    /** The message for {@code apiVersion}/{@code kind}, if it is a known top-level kind. */
    static Optional<Descriptor> find(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        if (OPTION_KINDS.contains(kind)) {
            return Optional.ofNullable(BY_FULL_NAME.get(META_PACKAGE + version + "." + kind));
        }
        String groupPackage = group.isEmpty() ? "core" : group.split("\\.", 2)[0];
        return Optional.ofNullable(BY_FULL_NAME.get("k8s.io.api." + groupPackage + "." + version + "." + kind))
                .filter(ProtoKinds::isKind);
    }

    /** Kinds carry object or list metadata; this keeps e.g. "apps/v1, Kind=DeploymentSpec" out. */
    private static boolean isKind(Descriptor message) {
        FieldDescriptor metadata = message.findFieldByName("metadata");
        return metadata != null && metadata.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                && OBJECT_META.contains(metadata.getMessageType().getFullName());
    }

    private static Map<String, Descriptor> index() {
        Deque<FileDescriptor> files = new ArrayDeque<>(MissingProtoFiles.all());
        for (String outer : OUTER_CLASSES) {
            files.add(outerFile(outer));
        }
        Map<String, Descriptor> byName = new HashMap<>();
        Set<String> seen = new HashSet<>();
        while (!files.isEmpty()) {
            FileDescriptor file = files.pop();
            if (seen.add(file.getName())) {
                file.getMessageTypes().forEach(m -> byName.put(m.getFullName(), m));
                files.addAll(file.getDependencies());
            }
        }
        return Map.copyOf(byName);
    }

    private static FileDescriptor outerFile(String outerClass) {
        try {
            return (FileDescriptor) Class.forName("io.kubernetes.client.proto." + outerClass)
                    .getMethod("getDescriptor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("client-java-proto lacks " + outerClass, e);
        }
    }
}
