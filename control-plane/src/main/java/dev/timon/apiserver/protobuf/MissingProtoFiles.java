package dev.timon.apiserver.protobuf;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;

import java.util.List;
import java.util.Map;

/**
 * Descriptors of the k8s.io/api groups that client-java-proto 24.0.0 does not ship (coordination.k8s.io/v1,
 * discovery.k8s.io/v1, events.k8s.io/v1), declared from their generated.proto field numbers so that kubelet-style
 * protobuf bodies for Lease, EndpointSlice and events.k8s.io Event decode like the others.
 */
final class MissingProtoFiles {

    private static final String META = ".k8s.io.apimachinery.pkg.apis.meta.v1.";
    private static final String CORE = ".k8s.io.api.core.v1.";
    private static final Map<String, Type> SCALARS = Map.of(
            "string", Type.TYPE_STRING, "int32", Type.TYPE_INT32, "int64", Type.TYPE_INT64, "bool", Type.TYPE_BOOL);

    private MissingProtoFiles() {
    }

    static List<FileDescriptor> all() {
        return List.of(coordination(), discovery(), events());
    }

    private static FileDescriptor coordination() {
        return file("coordination",
                message("Lease", optional("metadata", 1, META + "ObjectMeta"), optional("spec", 2, "LeaseSpec")),
                message("LeaseList", optional("metadata", 1, META + "ListMeta"), repeated("items", 2, "Lease")),
                message("LeaseSpec",
                        optional("holderIdentity", 1, "string"),
                        optional("leaseDurationSeconds", 2, "int32"),
                        optional("acquireTime", 3, META + "MicroTime"),
                        optional("renewTime", 4, META + "MicroTime"),
                        optional("leaseTransitions", 5, "int32"),
                        optional("strategy", 6, "string"),
                        optional("preferredHolder", 7, "string")));
    }

    private static FileDescriptor discovery() {
        return file("discovery",
                message("EndpointSlice",
                        optional("metadata", 1, META + "ObjectMeta"),
                        repeated("endpoints", 2, "Endpoint"),
                        repeated("ports", 3, "EndpointPort"),
                        optional("addressType", 4, "string")),
                message("EndpointSliceList", optional("metadata", 1, META + "ListMeta"), repeated("items", 2, "EndpointSlice")),
                message("Endpoint",
                        repeated("addresses", 1, "string"),
                        optional("conditions", 2, "EndpointConditions"),
                        optional("hostname", 3, "string"),
                        optional("targetRef", 4, CORE + "ObjectReference"),
                        repeated("deprecatedTopology", 5, "Endpoint.DeprecatedTopologyEntry"),
                        optional("nodeName", 6, "string"),
                        optional("zone", 7, "string"),
                        optional("hints", 8, "EndpointHints"))
                        .addNestedType(stringMapEntry("DeprecatedTopologyEntry")),
                message("EndpointConditions",
                        optional("ready", 1, "bool"), optional("serving", 2, "bool"), optional("terminating", 3, "bool")),
                message("EndpointHints", repeated("forZones", 1, "ForZone"), repeated("forNodes", 2, "ForNode")),
                message("ForZone", optional("name", 1, "string")),
                message("ForNode", optional("name", 1, "string")),
                message("EndpointPort",
                        optional("name", 1, "string"), optional("protocol", 2, "string"),
                        optional("port", 3, "int32"), optional("appProtocol", 4, "string")));
    }

    private static FileDescriptor events() {
        return file("events",
                message("Event",
                        optional("metadata", 1, META + "ObjectMeta"),
                        optional("eventTime", 2, META + "MicroTime"),
                        optional("series", 3, "EventSeries"),
                        optional("reportingController", 4, "string"),
                        optional("reportingInstance", 5, "string"),
                        optional("action", 6, "string"),
                        optional("reason", 7, "string"),
                        optional("regarding", 8, CORE + "ObjectReference"),
                        optional("related", 9, CORE + "ObjectReference"),
                        optional("note", 10, "string"),
                        optional("type", 11, "string"),
                        optional("deprecatedSource", 12, CORE + "EventSource"),
                        optional("deprecatedFirstTimestamp", 13, META + "Time"),
                        optional("deprecatedLastTimestamp", 14, META + "Time"),
                        optional("deprecatedCount", 15, "int32")),
                message("EventList", optional("metadata", 1, META + "ListMeta"), repeated("items", 2, "Event")),
                message("EventSeries", optional("count", 1, "int32"), optional("lastObservedTime", 2, META + "MicroTime")));
    }

    private static FileDescriptor file(String group, DescriptorProto.Builder... messages) {
        String pkg = "k8s.io.api." + group + ".v1";
        FileDescriptorProto.Builder file = FileDescriptorProto.newBuilder()
                .setName("k8s.io/api/" + group + "/v1/generated.proto")
                .setPackage(pkg)
                .setSyntax("proto2")
                .addDependency(Meta.getDescriptor().getName())
                .addDependency(V1.getDescriptor().getName());
        for (DescriptorProto.Builder message : messages) {
            for (FieldDescriptorProto.Builder field : message.getFieldBuilderList()) {
                if (field.hasTypeName() && !field.getTypeName().startsWith(".")) {
                    field.setTypeName("." + pkg + "." + field.getTypeName());
                }
            }
            file.addMessageType(message);
        }
        try {
            return FileDescriptor.buildFrom(file.build(), new FileDescriptor[] {Meta.getDescriptor(), V1.getDescriptor()});
        } catch (DescriptorValidationException e) {
            throw new IllegalStateException("bad built-in descriptor for " + pkg, e);
        }
    }

    private static DescriptorProto.Builder message(String name, FieldDescriptorProto.Builder... fields) {
        DescriptorProto.Builder message = DescriptorProto.newBuilder().setName(name);
        for (FieldDescriptorProto.Builder field : fields) {
            message.addField(field);
        }
        return message;
    }

    private static DescriptorProto.Builder stringMapEntry(String name) {
        return message(name, optional("key", 1, "string"), optional("value", 2, "string"))
                .setOptions(MessageOptions.newBuilder().setMapEntry(true));
    }

    private static FieldDescriptorProto.Builder optional(String name, int number, String type) {
        return field(name, number, type, Label.LABEL_OPTIONAL);
    }

    private static FieldDescriptorProto.Builder repeated(String name, int number, String type) {
        return field(name, number, type, Label.LABEL_REPEATED);
    }

    private static FieldDescriptorProto.Builder field(String name, int number, String type, Label label) {
        FieldDescriptorProto.Builder field = FieldDescriptorProto.newBuilder()
                .setName(name).setNumber(number).setLabel(label).setJsonName(name);
        Type scalar = SCALARS.get(type);
        return scalar != null ? field.setType(scalar) : field.setType(Type.TYPE_MESSAGE).setTypeName(type);
    }
}
