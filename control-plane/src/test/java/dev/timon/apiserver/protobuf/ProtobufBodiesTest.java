package dev.timon.apiserver.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.IntStr.IntOrString;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource.Quantity;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V1Policy;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Bodies built with the generated classes the way client-go's typed clients (kubectl create ...) send them. */
class ProtobufBodiesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Go writes non-pointer fields always, so kubectl's bodies carry a zero creationTimestamp. */
    private static final Meta.Time ZERO_TIME = Meta.Time.newBuilder().setSeconds(0).setNanos(0).build();

    static byte[] body(String apiVersion, String kind, Message object) {
        Runtime.Unknown envelope = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(object.toByteString())
                .setContentEncoding("")
                .setContentType("")
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ProtobufBodies.MAGIC);
        out.writeBytes(envelope.toByteArray());
        return out.toByteArray();
    }

    private static Meta.ObjectMeta.Builder meta(String name) {
        return Meta.ObjectMeta.newBuilder().setName(name).setNamespace("").setCreationTimestamp(ZERO_TIME);
    }

    private static JsonNode json(String singleQuoted) throws Exception {
        return MAPPER.readTree(singleQuoted.replace('\'', '"'));
    }

    private static V1Apps.Deployment webDeployment() {
        Meta.LabelSelector selector = Meta.LabelSelector.newBuilder().putMatchLabels("app", "web").build();
        return V1Apps.Deployment.newBuilder()
                .setMetadata(meta("web").putLabels("app", "web"))
                .setSpec(V1Apps.DeploymentSpec.newBuilder()
                        .setReplicas(2)
                        .setSelector(selector)
                        .setTemplate(V1.PodTemplateSpec.newBuilder()
                                .setMetadata(meta("").putLabels("app", "web"))
                                .setSpec(V1.PodSpec.newBuilder().addContainers(V1.Container.newBuilder()
                                        .setName("nginx").setImage("nginx")
                                        .setResources(V1.ResourceRequirements.newBuilder()))))
                        .setStrategy(V1Apps.DeploymentStrategy.newBuilder()))
                .setStatus(V1Apps.DeploymentStatus.newBuilder())
                .build();
    }

    @Test
    void createDeployment() throws Exception {
        JsonNode decoded = ProtobufBodies.decode(body("apps/v1", "Deployment", webDeployment()));
        assertEquals(json("{'apiVersion':'apps/v1','kind':'Deployment',"
                + "'metadata':{'name':'web','labels':{'app':'web'}},"
                + "'spec':{'replicas':2,'selector':{'matchLabels':{'app':'web'}},"
                + "'template':{'metadata':{'labels':{'app':'web'}},"
                + "'spec':{'containers':[{'name':'nginx','image':'nginx','resources':{}}]}},"
                + "'strategy':{}},'status':{}}"), decoded);
    }

    @Test
    void capturedKubectlPrefix() {
        byte[] body = body("apps/v1", "Deployment", webDeployment());
        byte[] prefix = Arrays.copyOf(body, 4 + 2 + 2 + 7 + 2 + 10 + 1);
        byte[] expected = new ByteArrayOutputStream() {{
            writeBytes(HexFormat.of().parseHex("6b387300" + "0a15" + "0a07"));
            writeBytes("apps/v1".getBytes(StandardCharsets.US_ASCII));
            writeBytes(HexFormat.of().parseHex("120a"));
            writeBytes("Deployment".getBytes(StandardCharsets.US_ASCII));
            writeBytes(HexFormat.of().parseHex("12"));
        }}.toByteArray();
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(prefix));
    }

    @Test
    void createConfigMapFromLiteral() throws Exception {
        V1.ConfigMap configMap = V1.ConfigMap.newBuilder().setMetadata(meta("x")).putData("a", "b").putData("empty", "").build();
        assertEquals(json("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'x'},'data':{'a':'b','empty':''}}"),
                ProtobufBodies.decode(body("v1", "ConfigMap", configMap)));
    }

    @Test
    void createSecretGenericCarriesBytesAsBase64() throws Exception {
        V1.Secret secret = V1.Secret.newBuilder().setMetadata(meta("s"))
                .putData("k", ByteString.copyFromUtf8("v")).setType("Opaque").build();
        assertEquals(json("{'apiVersion':'v1','kind':'Secret','metadata':{'name':'s'},'data':{'k':'dg=='},'type':'Opaque'}"),
                ProtobufBodies.decode(body("v1", "Secret", secret)));
    }

    @Test
    void createNamespace() throws Exception {
        V1.Namespace namespace = V1.Namespace.newBuilder().setMetadata(meta("team-a"))
                .setSpec(V1.NamespaceSpec.newBuilder()).setStatus(V1.NamespaceStatus.newBuilder().setPhase("")).build();
        assertEquals(json("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'team-a'},'spec':{},'status':{}}"),
                ProtobufBodies.decode(body("v1", "Namespace", namespace)));
    }

    @Test
    void createJobKeepsPresentZeroAndOmitsUnsetOptionals() throws Exception {
        V1Batch.Job job = V1Batch.Job.newBuilder().setMetadata(meta("pi"))
                .setSpec(V1Batch.JobSpec.newBuilder()
                        .setBackoffLimit(0)
                        .setTemplate(V1.PodTemplateSpec.newBuilder().setMetadata(meta(""))
                                .setSpec(V1.PodSpec.newBuilder().setRestartPolicy("Never")
                                        .addContainers(V1.Container.newBuilder().setName("pi").setImage("perl")
                                                .addCommand("perl").addCommand("-e").addCommand("print 1")))))
                .build();
        JsonNode spec = ProtobufBodies.decode(body("batch/v1", "Job", job)).get("spec");
        assertEquals(0, spec.get("backoffLimit").intValue());
        assertFalse(spec.has("parallelism"));
        assertFalse(spec.has("completions"));
        assertEquals(json("{'restartPolicy':'Never','containers':[{'name':'pi','image':'perl','command':['perl','-e','print 1']}]}"),
                spec.at("/template/spec"));
    }

    @Test
    void createServiceClusterIpRendersIntOrString() throws Exception {
        V1.Service service = V1.Service.newBuilder().setMetadata(meta("web").putLabels("app", "web"))
                .setSpec(V1.ServiceSpec.newBuilder().setType("ClusterIP").putSelector("app", "web")
                        .addPorts(V1.ServicePort.newBuilder().setName("80-8080").setProtocol("TCP").setPort(80)
                                .setTargetPort(IntOrString.newBuilder().setType(0).setIntVal(8080).setStrVal("")))
                        .addPorts(V1.ServicePort.newBuilder().setName("metrics").setProtocol("TCP").setPort(9090)
                                .setTargetPort(IntOrString.newBuilder().setType(1).setIntVal(0).setStrVal("http-metrics"))))
                .build();
        JsonNode spec = ProtobufBodies.decode(body("v1", "Service", service)).get("spec");
        assertEquals(json("{'name':'80-8080','protocol':'TCP','port':80,'targetPort':8080}"), spec.get("ports").get(0));
        assertEquals(json("{'name':'metrics','protocol':'TCP','port':9090,'targetPort':'http-metrics'}"), spec.get("ports").get(1));
        assertEquals(json("{'app':'web'}"), spec.get("selector"));
        assertEquals("ClusterIP", spec.get("type").asText());
    }

    @Test
    void quantitiesAreStrings() throws Exception {
        V1.Pod pod = V1.Pod.newBuilder().setMetadata(meta("p")).setSpec(V1.PodSpec.newBuilder()
                .addContainers(V1.Container.newBuilder().setName("c").setResources(V1.ResourceRequirements.newBuilder()
                        .putLimits("cpu", Quantity.newBuilder().setString("500m").build())
                        .putLimits("memory", Quantity.newBuilder().setString("1Gi").build())))).build();
        assertEquals(json("{'cpu':'500m','memory':'1Gi'}"),
                ProtobufBodies.decode(body("v1", "Pod", pod)).at("/spec/containers/0/resources/limits"));
    }

    @Test
    void createServiceAccount() throws Exception {
        V1.ServiceAccount account = V1.ServiceAccount.newBuilder().setMetadata(meta("robot")).build();
        assertEquals(json("{'apiVersion':'v1','kind':'ServiceAccount','metadata':{'name':'robot'}}"),
                ProtobufBodies.decode(body("v1", "ServiceAccount", account)));
    }

    @Test
    void timesAreRfc3339() throws Exception {
        V1.Event event = V1.Event.newBuilder()
                .setMetadata(meta("e").setCreationTimestamp(Meta.Time.newBuilder().setSeconds(1704164645).setNanos(0)))
                .setEventTime(Meta.MicroTime.newBuilder().setSeconds(1704164645).setNanos(123456000))
                .setInvolvedObject(V1.ObjectReference.newBuilder().setKind("Pod").setName("p"))
                .setCount(0)
                .build();
        JsonNode decoded = ProtobufBodies.decode(body("v1", "Event", event));
        assertEquals("2024-01-02T03:04:05Z", decoded.at("/metadata/creationTimestamp").asText());
        assertEquals("2024-01-02T03:04:05.123456Z", decoded.get("eventTime").asText());
        // count is a plain int32 with omitempty in Go: its zero means "unset" and is dropped.
        assertNull(decoded.get("count"));
    }

    @Test
    void deleteOptionsFromDrain() throws Exception {
        Meta.DeleteOptions options = Meta.DeleteOptions.newBuilder()
                .setGracePeriodSeconds(0).setPropagationPolicy("Background").build();
        JsonNode expected = json("{'apiVersion':'v1','kind':'DeleteOptions','gracePeriodSeconds':0,'propagationPolicy':'Background'}");
        assertEquals(expected, ProtobufBodies.decode(body("v1", "DeleteOptions", options)));
        assertEquals("meta.k8s.io/v1",
                ProtobufBodies.decode(body("meta.k8s.io/v1", "DeleteOptions", options)).get("apiVersion").asText());
        assertEquals("apps/v1", ProtobufBodies.decode(body("apps/v1", "DeleteOptions", options)).get("apiVersion").asText());
    }

    @Test
    void evictionWithNestedDeleteOptions() throws Exception {
        V1Policy.Eviction eviction = V1Policy.Eviction.newBuilder().setMetadata(meta("nginx").setNamespace("default"))
                .setDeleteOptions(Meta.DeleteOptions.newBuilder()).build();
        assertEquals(json("{'apiVersion':'policy/v1','kind':'Eviction','metadata':{'name':'nginx','namespace':'default'},'deleteOptions':{}}"),
                ProtobufBodies.decode(body("policy/v1", "Eviction", eviction)));
    }

    @Test
    void selfSubjectAccessReviewFromAuthCanI() throws Exception {
        V1Authorization.SelfSubjectAccessReview review = V1Authorization.SelfSubjectAccessReview.newBuilder()
                .setMetadata(meta(""))
                .setSpec(V1Authorization.SelfSubjectAccessReviewSpec.newBuilder().setResourceAttributes(
                        V1Authorization.ResourceAttributes.newBuilder().setNamespace("default").setVerb("create")
                                .setGroup("apps").setResource("deployments")))
                .build();
        assertEquals(json("{'namespace':'default','verb':'create','group':'apps','resource':'deployments'}"),
                ProtobufBodies.decode(body("authorization.k8s.io/v1", "SelfSubjectAccessReview", review))
                        .at("/spec/resourceAttributes"));
    }

    @Test
    void leaseFromAGroupTheJarLacksUsesMicroTime() throws Exception {
        Descriptor leaseType = ProtoKinds.find("coordination.k8s.io/v1", "Lease").orElseThrow();
        Descriptor specType = leaseType.findFieldByName("spec").getMessageType();
        Message lease = DynamicMessage.newBuilder(leaseType)
                .setField(leaseType.findFieldByName("metadata"), Meta.ObjectMeta.newBuilder().setName("node1").build())
                .setField(leaseType.findFieldByName("spec"), DynamicMessage.newBuilder(specType)
                        .setField(specType.findFieldByName("holderIdentity"), "node1")
                        .setField(specType.findFieldByName("leaseDurationSeconds"), 40)
                        .setField(specType.findFieldByName("renewTime"),
                                Meta.MicroTime.newBuilder().setSeconds(1704164645).setNanos(5000).build())
                        .build())
                .build();
        assertEquals(json("{'apiVersion':'coordination.k8s.io/v1','kind':'Lease','metadata':{'name':'node1'},"
                        + "'spec':{'holderIdentity':'node1','leaseDurationSeconds':40,'renewTime':'2024-01-02T03:04:05.000005Z'}}"),
                ProtobufBodies.decode(body("coordination.k8s.io/v1", "Lease", lease)));
    }

    @Test
    void otherKindsAreFound() {
        for (String[] gvk : new String[][] {{"discovery.k8s.io/v1", "EndpointSlice"}, {"events.k8s.io/v1", "Event"},
                {"autoscaling/v1", "Scale"}, {"authorization.k8s.io/v1", "SubjectAccessReview"}, {"v1", "Node"},
                {"v1", "Endpoints"}, {"apps/v1", "StatefulSet"}, {"apps/v1", "DaemonSet"}, {"apps/v1", "ReplicaSet"},
                {"batch/v1", "CronJob"}, {"rbac.authorization.k8s.io/v1", "ClusterRole"}}) {
            assertEquals(true, ProtoKinds.find(gvk[0], gvk[1]).isPresent(), String.join(", Kind=", gvk));
        }
    }

    @Test
    void wrongMagicIsRejected() {
        ProtobufDecodeException e = assertThrows(ProtobufDecodeException.class,
                () -> ProtobufBodies.decode("{\"kind\":\"Pod\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("protobuf body does not start with the Kubernetes magic bytes \"k8s\\x00\"", e.getMessage());
    }

    @Test
    void truncatedBodyIsRejected() {
        byte[] whole = body("apps/v1", "Deployment", webDeployment());
        ProtobufDecodeException e = assertThrows(ProtobufDecodeException.class,
                () -> ProtobufBodies.decode(Arrays.copyOf(whole, whole.length / 2)));
        assertEquals(true, e.getMessage().startsWith("protobuf body is truncated or malformed"), e.getMessage());
    }

    @Test
    void unknownKindIsRejected() {
        ProtobufDecodeException e = assertThrows(ProtobufDecodeException.class,
                () -> ProtobufBodies.decode(body("apps/v1", "Foo", webDeployment())));
        assertEquals("no kind \"Foo\" is registered for version \"apps/v1\" in protobuf bodies (apps/v1, Kind=Foo)", e.getMessage());
    }

    @Test
    void partOfAnObjectIsNotAKind() {
        assertThrows(ProtobufDecodeException.class,
                () -> ProtobufBodies.decode(body("apps/v1", "DeploymentSpec", V1Apps.DeploymentSpec.getDefaultInstance())));
    }

    @Test
    void badRawBytesAreRejected() {
        Runtime.Unknown envelope = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion("v1").setKind("Pod"))
                .setRaw(ByteString.copyFrom(new byte[] {0x0a, 0x7f, 0x01}))
                .build();
        byte[] bytes = new ByteArrayOutputStream() {{
            writeBytes(ProtobufBodies.MAGIC);
            writeBytes(envelope.toByteArray());
        }}.toByteArray();
        ProtobufDecodeException e = assertThrows(ProtobufDecodeException.class, () -> ProtobufBodies.decode(bytes));
        assertEquals(true, e.getMessage().startsWith("bad raw bytes for v1, Kind=Pod: "), e.getMessage());
    }
}
