package dev.timon.apiserver.protobuf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kubernetes.client.proto.Runtime;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Decodes {@code application/vnd.kubernetes.protobuf} request bodies, which client-go's typed clients (kubectl
 * {@code create deployment}, {@code drain}'s DeleteOptions, ...) send: the magic {@code "k8s\0"}, then a
 * {@code runtime.Unknown} envelope whose typeMeta names the kind and whose raw bytes are the object's own message.
 */
public final class ProtobufBodies {

    /** The four bytes {@code "k8s\0"} every Kubernetes protobuf body starts with. */
    public static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};

    private ProtobufBodies() {
    }

    /**
     * @return the object in its Kubernetes JSON form, with apiVersion and kind set from the envelope
     * @throws ProtobufDecodeException when the body is not a decodable protobuf object (answer 400)
     */
    public static ObjectNode decode(byte[] body) {
        if (body == null || body.length < MAGIC.length || !Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new ProtobufDecodeException("protobuf body does not start with the Kubernetes magic bytes \"k8s\\x00\"");
        }
        Runtime.Unknown envelope = parseEnvelope(body);
        String apiVersion = envelope.getTypeMeta().getApiVersion();
        String kind = envelope.getTypeMeta().getKind();
        String gvk = gvk(apiVersion, kind);
        if (kind.isEmpty()) {
            throw new ProtobufDecodeException("protobuf body has no kind in its typeMeta");
        }
        if (!envelope.getContentEncoding().isEmpty()) {
            throw new ProtobufDecodeException("unsupported content encoding \"" + envelope.getContentEncoding() + "\" for " + gvk);
        }
        Descriptor type = ProtoKinds.find(apiVersion, kind)
                .orElseThrow(() -> new ProtobufDecodeException("no kind \"" + kind + "\" is registered for version \""
                        + apiVersion + "\" in protobuf bodies (" + gvk + ")"));
        ObjectNode object = (ObjectNode) ProtoJson.toJson(parseObject(type, envelope, gvk));
        return withTypeMeta(object, apiVersion, kind);
    }

    private static Runtime.Unknown parseEnvelope(byte[] body) {
        try {
            return Runtime.Unknown.parseFrom(ByteBuffer.wrap(body, MAGIC.length, body.length - MAGIC.length));
        } catch (InvalidProtocolBufferException e) {
            throw new ProtobufDecodeException("protobuf body is truncated or malformed: " + e.getMessage(), e);
        }
    }

    private static DynamicMessage parseObject(Descriptor type, Runtime.Unknown envelope, String gvk) {
        try {
            return DynamicMessage.parseFrom(type, envelope.getRaw());
        } catch (InvalidProtocolBufferException e) {
            throw new ProtobufDecodeException("bad raw bytes for " + gvk + ": " + e.getMessage(), e);
        }
    }

    /** apiVersion and kind first, as Kubernetes prints them. */
    private static ObjectNode withTypeMeta(ObjectNode object, String apiVersion, String kind) {
        ObjectNode result = object.objectNode();
        result.put("apiVersion", apiVersion);
        result.put("kind", kind);
        object.properties().forEach(e -> {
            if (!e.getKey().equals("apiVersion") && !e.getKey().equals("kind")) {
                result.set(e.getKey(), e.getValue());
            }
        });
        return result;
    }

    /** The way apimachinery prints a GroupVersionKind in errors, e.g. "apps/v1, Kind=Deployment". */
    private static String gvk(String apiVersion, String kind) {
        return apiVersion + ", Kind=" + kind;
    }
}
