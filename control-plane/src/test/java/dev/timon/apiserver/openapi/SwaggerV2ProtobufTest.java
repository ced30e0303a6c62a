package dev.timon.apiserver.openapi;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import dev.timon.registry.resources.BuiltinResources;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads the v2 protobuf back by gnostic's field numbers, without generated classes. */
class SwaggerV2ProtobufTest {

    private static final UnknownFieldSet DOCUMENT = parse(ByteString.copyFrom(
            new OpenApiService(BuiltinResources.registry()).v2Protobuf()));

    @Test
    void isASwagger2Document() {
        assertEquals("2.0", string(DOCUMENT, 1));
        assertEquals("Kubernetes", string(message(DOCUMENT, 2), 1));
    }

    @Test
    void definesDeploymentWithItsKind() {
        UnknownFieldSet deployment = named(messages(message(DOCUMENT, 9), 1), "io.k8s.api.apps.v1.Deployment").orElseThrow();
        assertTrue(string(deployment, 4).contains("Deployment"), "description");
        UnknownFieldSet spec = named(messages(message(deployment, 25), 1), "spec").orElseThrow();
        assertEquals("#/definitions/io.k8s.api.apps.v1.DeploymentSpec", string(spec, 1));
        UnknownFieldSet gvk = named(messages(deployment, 31), "x-kubernetes-group-version-kind").orElseThrow();
        String yaml = string(gvk, 2);
        assertTrue(yaml.contains("group: apps") && yaml.contains("kind: Deployment") && yaml.contains("version: v1"), yaml);
    }

    @Test
    void deploymentPatchHasKindAndFieldValidation() {
        UnknownFieldSet item = named(messages(message(DOCUMENT, 8), 2),
                "/apis/apps/v1/namespaces/{namespace}/deployments/{name}").orElseThrow();
        UnknownFieldSet patch = message(item, 8);
        assertEquals("patchAppsV1NamespacedDeployment", string(patch, 5));
        assertTrue(named(messages(patch, 13), "x-kubernetes-group-version-kind").isPresent());
        boolean fieldValidation = messages(patch, 8).stream()
                .map(p -> message(message(p, 1), 2)) // ParametersItem.parameter.non_body_parameter
                .filter(nonBody -> nonBody.hasField(3))
                .anyMatch(nonBody -> string(message(nonBody, 3), 4).equals("fieldValidation"));
        assertTrue(fieldValidation);
    }

    private static UnknownFieldSet parse(ByteString bytes) {
        try {
            return UnknownFieldSet.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static List<UnknownFieldSet> messages(UnknownFieldSet message, int field) {
        return message.getField(field).getLengthDelimitedList().stream().map(SwaggerV2ProtobufTest::parse).toList();
    }

    private static UnknownFieldSet message(UnknownFieldSet message, int field) {
        return messages(message, field).get(0);
    }

    private static String string(UnknownFieldSet message, int field) {
        return message.getField(field).getLengthDelimitedList().get(0).toStringUtf8();
    }

    /** The value of the Named* entry called {@code name}. */
    private static Optional<UnknownFieldSet> named(List<UnknownFieldSet> entries, String name) {
        return entries.stream().filter(e -> string(e, 1).equals(name)).findFirst().map(e -> message(e, 2));
    }
}
