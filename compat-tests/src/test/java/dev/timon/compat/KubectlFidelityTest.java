package dev.timon.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kubectl commands that need the server to understand the schema (issue 3): client-side apply through
 * strategic merge patch, server-side apply, prune, diff, dry run, edit, set, cordon, explain, the create
 * generators (protobuf bodies) and the upstream error texts. Each test works in its own namespace and checks
 * the stored object, not only what kubectl printed.
 */
class KubectlFidelityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Kubectl kubectl;

    @BeforeAll
    static void cluster() throws Exception {
        kubectl = TestCluster.get().kubectl();
    }

    // ---- manifests and stored objects ----

    /** One container of a Deployment manifest; ports and env ("K=V") in the order written. */
    private record Container(String name, String image, List<Integer> ports, List<String> env) {

        String yaml() {
            StringBuilder out = new StringBuilder(Manifests.container(name, image));
            if (!ports.isEmpty()) {
                out.append("        ports:\n");
                ports.forEach(p -> out.append("        - containerPort: ").append(p).append('\n'));
            }
            if (!env.isEmpty()) {
                out.append("        env:\n");
                env.forEach(e -> out.append("        - name: ").append(e.split("=")[0])
                        .append("\n          value: \"").append(e.split("=")[1]).append("\"\n"));
            }
            return out.toString();
        }

        /** What a check compares: the manifest's lists, or the stored container's (see {@link #stored}). */
        String summary() {
            return name + " " + image + " ports=" + ports + " env=" + env;
        }

        static Container stored(JsonNode container) {
            List<Integer> ports = new ArrayList<>();
            container.path("ports").forEach(p -> ports.add(p.get("containerPort").asInt()));
            List<String> env = new ArrayList<>();
            container.path("env").forEach(e -> env.add(e.get("name").asText() + "=" + e.get("value").asText()));
            return new Container(container.get("name").asText(), container.get("image").asText(), ports, env);
        }
    }

    private static String deployment(String name, String app, int replicas, List<Container> containers) {
        return Manifests.deployment(name, app, replicas, "", containers.stream().map(Container::yaml).collect(Collectors.joining()));
    }

    private static String deployment(String name, int replicas) {
        return deployment(name, name, replicas, List.of(new Container("main", "nginx:1.25", List.of(80), List.of())));
    }

    private static String configMap(String name, Map<String, String> labels, Map<String, String> data) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                  labels: %s
                data: %s
                """.formatted(name, flow(labels), flow(data));
    }

    /** A YAML flow map with every value quoted. */
    private static String flow(Map<String, String> map) {
        return map.entrySet().stream().map(e -> e.getKey() + ": \"" + e.getValue() + "\"")
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static Kubectl.Result ok(String... args) {
        return kubectl.ok(args);
    }

    private static Kubectl.Result withInput(String stdin, String... args) {
        return kubectl.run(Map.of(), stdin, Kubectl.DEFAULT_TIMEOUT, args);
    }

    private static void namespace(String name) {
        ok("create", "namespace", name);
    }

    private static JsonNode stored(String namespace, String kind, String name) {
        try {
            return JSON.readTree(ok("get", kind, name, "-n", namespace, "-o", "json", "--show-managed-fields").out());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> storedContainers(String namespace, String name) {
        return StreamSupport.stream(stored(namespace, "deployment", name).at("/spec/template/spec/containers").spliterator(), false)
                .map(c -> Container.stored(c).summary()).toList();
    }

    private static Kubectl.Result fails(Kubectl.Result result) {
        assertFalse(result.ok(), result::toString);
        return result;
    }

    // ---- client-side apply (strategic merge patch) ----

    @Test
    void clientSideApplyOfEditedManifestsStoresExactlyTheManifestLists() {
        namespace("csa-ns");
        Container main = new Container("main", "nginx:1.25", List.of(80, 443), List.of("A=1"));
        Container side = new Container("side", "busybox:1.36", List.of(9000), List.of());
        List<List<Container>> edits = List.of(
                List.of(main, side),
                List.of(new Container("main", "nginx:1.25", List.of(80, 443), List.of("A=1", "B=2")), side), // env added
                List.of(new Container("main", "nginx:1.25", List.of(80), List.of("A=1", "B=2")), side), // port removed
                List.of(new Container("main", "nginx:1.25", List.of(80), List.of("A=1", "B=2")),
                        new Container("helper", "busybox:1.36", List.of(9000), List.of())), // container renamed
                List.of(new Container("helper", "busybox:1.36", List.of(9000), List.of()),
                        new Container("main", "nginx:1.25", List.of(80), List.of("B=2", "A=1")))); // reordered
        for (List<Container> containers : edits) {
            kubectl.apply("csa-ns", deployment("web", "web", 2, containers));
            if (containers == edits.get(0)) {
                // A field another actor set outside the manifest: apply must leave it alone.
                ok("annotate", "deploy", "web", "-n", "csa-ns", "owner=team-a");
            }
            assertEquals(containers.stream().map(Container::summary).toList(), storedContainers("csa-ns", "web"));
            JsonNode deploy = stored("csa-ns", "deployment", "web");
            assertEquals("team-a", deploy.at("/metadata/annotations/owner").asText());
            assertEquals(2, deploy.at("/spec/replicas").asInt());
            assertEquals("{\"app\":\"web\"}", deploy.at("/spec/template/metadata/labels").toString());
        }
    }

    // ---- server-side apply ----

    @Test
    void serverSideApplyConflictNamesTheOtherManagerAndForceMovesOwnership() {
        namespace("ssa-ns");
        String alice = configMap("shared", Map.of("app", "ssa"), Map.of("a", "1"));
        assertTrue(withInput(alice, "apply", "--server-side", "--field-manager=alice", "-n", "ssa-ns", "-f", "-").ok());
        String bob = configMap("shared", Map.of("app", "ssa"), Map.of("a", "2"));
        Kubectl.Result conflict = fails(withInput(bob, "apply", "--server-side", "--field-manager=bob", "-n", "ssa-ns", "-f", "-"));
        assertTrue(conflict.err().startsWith("error: Apply failed with 1 conflict: conflict with \"alice\": .data.a\n"
                + "Please review the fields above--they currently have other managers."), conflict::toString);
        assertTrue(conflict.err().contains("* If you intend to manage all of these fields, please re-run the apply\n"
                + "  command with the `--force-conflicts` flag."), conflict::toString);
        assertEquals("1", ok("get", "cm", "shared", "-n", "ssa-ns", "-o", "jsonpath={.data.a}").out());

        assertTrue(withInput(bob, "apply", "--server-side", "--force-conflicts", "--field-manager=bob", "-n", "ssa-ns", "-f", "-").ok());
        JsonNode cm = stored("ssa-ns", "configmap", "shared");
        assertEquals("2", cm.at("/data/a").asText());
        assertEquals(List.of("f:a"), fieldsOf(cm, "bob", "f:data"));
        // Alice lost .data.a but keeps the labels she applied too (co-owned with bob now).
        assertEquals(List.of(), fieldsOf(cm, "alice", "f:data"));
        assertTrue(managedFields(cm, "alice").at("/fieldsV1/f:metadata/f:labels").has("f:app"), cm::toString);
        assertEquals("Apply", managedFields(cm, "bob").get("operation").asText());
    }

    @Test
    void serverSideApplyRemovesAFieldItsManagerStopsApplying() {
        namespace("ssa2-ns");
        String[] apply = {"apply", "--server-side", "--field-manager=alice", "-n", "ssa2-ns", "-f", "-"};
        assertTrue(withInput(configMap("cfg", Map.of("app", "s"), Map.of("a", "1", "b", "2")), apply).ok());
        assertTrue(withInput(configMap("cfg", Map.of("app", "s"), Map.of("a", "1")), apply).ok());
        JsonNode cm = stored("ssa2-ns", "configmap", "cfg");
        assertEquals("{\"a\":\"1\"}", cm.get("data").toString());
        assertEquals(List.of("f:a"), fieldsOf(cm, "alice", "f:data"));
    }

    private static JsonNode managedFields(JsonNode object, String manager) {
        for (JsonNode entry : object.at("/metadata/managedFields")) {
            if (entry.get("manager").asText().equals(manager)) {
                return entry;
            }
        }
        throw new AssertionError("no managedFields entry of " + manager + " in " + object);
    }

    /** The field names {@code manager} owns under {@code parent} (e.g. "f:data"). */
    private static List<String> fieldsOf(JsonNode object, String manager, String parent) {
        List<String> names = new ArrayList<>();
        managedFields(object, manager).path("fieldsV1").path(parent).fieldNames().forEachRemaining(names::add);
        return names;
    }

    // ---- prune, diff, dry run ----

    @Test
    void applyPruneDeletesWhatLeftTheDirectory() throws Exception {
        namespace("prune-ns");
        Path dir = Files.createTempDirectory(TestCluster.get().dir(), "prune");
        Files.writeString(dir.resolve("a.yaml"), configMap("a", Map.of("app", "x"), Map.of("k", "a")));
        Files.writeString(dir.resolve("b.yaml"), configMap("b", Map.of("app", "x"), Map.of("k", "b")));
        // Not in the directory and not labelled: prune must not touch it.
        kubectl.apply("prune-ns", configMap("other", Map.of("app", "y"), Map.of("k", "o")));
        // No --prune-allowlist: kubectl's default list names PersistentVolumeClaims, PersistentVolumes,
        // ReplicationControllers and Ingresses too, so they must be served for plain --prune to work.
        String[] prune = {"apply", "-n", "prune-ns", "--prune", "-l", "app=x", "-f", dir.toString()};
        Kubectl.Result first = ok(prune);
        assertTrue(first.out().contains("configmap/a created") && first.out().contains("configmap/b created"), first::toString);
        Files.delete(dir.resolve("b.yaml"));
        Kubectl.Result second = ok(prune);
        assertTrue(second.out().contains("configmap/a unchanged") && second.out().contains("configmap/b pruned"), second::toString);
        // kubectl's own deprecation notice about pruning with --namespace is all stderr may hold.
        assertTrue((first.err() + second.err()).lines().allMatch(l -> l.contains("Deprecated: kubectl apply will no longer prune")),
                () -> first.err() + second.err());
        assertEquals("configmap/a\nconfigmap/other\n", ok("get", "cm", "-n", "prune-ns", "-o", "name", "--sort-by=.metadata.name")
                .out().replace("configmap/kube-root-ca.crt\n", ""));
    }

    @Test
    void diffShowsTheChangeAndExitsOneThenZeroWhenNothingChanges() {
        namespace("diff-ns");
        kubectl.apply("diff-ns", deployment("web", 1));
        Kubectl.Result changed = withInput(deployment("web", 3), "diff", "-n", "diff-ns", "-f", "-");
        assertEquals(1, changed.exitCode(), changed::toString);
        assertTrue(changed.out().contains("-  replicas: 1\n+  replicas: 3"), changed::toString);
        Kubectl.Result same = withInput(deployment("web", 1), "diff", "-n", "diff-ns", "-f", "-");
        assertEquals(0, same.exitCode(), same::toString);
        assertEquals("", same.out());
        // diff runs as a server dry run: nothing stored changed.
        assertEquals("1", ok("get", "deploy", "web", "-n", "diff-ns", "-o", "jsonpath={.spec.replicas}").out());
    }

    @Test
    void applyDryRunServerPrintsItAndStoresNothing() {
        namespace("dry-ns");
        Kubectl.Result dry = withInput(configMap("planned", Map.of("app", "d"), Map.of("k", "v")),
                "apply", "--dry-run=server", "-n", "dry-ns", "-f", "-");
        assertEquals("configmap/planned created (server dry run)\n", dry.out(), dry::toString);
        Kubectl.Result get = fails(kubectl.run("get", "cm", "planned", "-n", "dry-ns"));
        assertTrue(get.err().contains("Error from server (NotFound): configmaps \"planned\" not found"), get::toString);
    }

    // ---- edit, set, cordon, explain ----

    @Test
    void editThroughAScriptedEditorChangesTheStoredObject() throws Exception {
        namespace("edit2-ns");
        kubectl.apply("edit2-ns", deployment("web", 1));
        // kubectl runs KUBE_EDITOR with the temporary file's path as last argument (split on spaces, no shell).
        Path editor = TestCluster.get().dir().resolve("replicas-editor.sh");
        Files.writeString(editor, "#!/bin/sh\nsed -i 's/replicas: 1$/replicas: 2/' \"$1\"\n");
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
        Kubectl.Result edit = kubectl.run(Map.of("KUBE_EDITOR", editor.toString()), null, Kubectl.DEFAULT_TIMEOUT,
                "edit", "deploy", "web", "-n", "edit2-ns");
        assertTrue(edit.ok(), edit::toString);
        assertEquals("deployment.apps/web edited\n", edit.out());
        assertEquals("2", ok("get", "deploy", "web", "-n", "edit2-ns", "-o", "jsonpath={.spec.replicas}").out());
    }

    @Test
    void setImageAndSetEnvPatchOnlyTheirContainer() {
        namespace("set-ns");
        kubectl.apply("set-ns", deployment("web", "web", 1, List.of(
                new Container("main", "nginx:1.25", List.of(80), List.of()),
                new Container("side", "busybox:1.36", List.of(), List.of("A=1")))));
        assertEquals("deployment.apps/web image updated\n", ok("set", "image", "deploy/web", "main=nginx:1.27", "-n", "set-ns").out());
        assertEquals("deployment.apps/web env updated\n", ok("set", "env", "deploy/web", "-c", "side", "B=2", "-n", "set-ns").out());
        assertEquals(List.of("main nginx:1.27 ports=[80] env=[]", "side busybox:1.36 ports=[] env=[A=1, B=2]"),
                storedContainers("set-ns", "web"));
    }

    @Test
    void cordonAndUncordonFlipUnschedulable() {
        // A bare Node object; its NoSchedule taint keeps other suites' pods off it while it exists.
        kubectl.apply("default", """
                apiVersion: v1
                kind: Node
                metadata:
                  name: fidelity-node
                spec:
                  taints:
                  - {key: fidelity, effect: NoSchedule}
                """);
        try {
            assertEquals("node/fidelity-node cordoned\n", ok("cordon", "fidelity-node").out());
            assertEquals("true", ok("get", "node", "fidelity-node", "-o", "jsonpath={.spec.unschedulable}").out());
            assertEquals("node/fidelity-node uncordoned\n", ok("uncordon", "fidelity-node").out());
            assertEquals("", ok("get", "node", "fidelity-node", "-o", "jsonpath={.spec.unschedulable}").out());
            assertEquals("fidelity", ok("get", "node", "fidelity-node", "-o", "jsonpath={.spec.taints[0].key}").out());
        } finally {
            kubectl.run("delete", "node", "fidelity-node");
        }
    }

    @Test
    void explainPrintsFieldDocsAndTypes() {
        String doc = ok("explain", "deployment.spec.template.spec.containers").out();
        assertTrue(doc.contains("KIND:       Deployment\nVERSION:    v1\n"), doc);
        assertTrue(doc.contains("FIELD: containers <[]Container>"), doc);
        assertTrue(doc.contains("List of containers belonging to the pod."), doc);
        assertTrue(doc.lines().anyMatch(l -> l.matches("\\s+image\\s+<string>")), doc);
        assertTrue(doc.lines().anyMatch(l -> l.matches("\\s+name\\s+<string> -required-")), doc);
    }

    // ---- create generators (protobuf request bodies) ----

    @Test
    void createDeploymentAndRunStoreTheirPodTemplates() {
        namespace("gen-ns");
        ok("create", "deployment", "web", "--image=nginx:1.25", "--port=80", "--replicas=2", "-n", "gen-ns");
        JsonNode deploy = stored("gen-ns", "deployment", "web");
        assertEquals("{\"app\":\"web\"}", deploy.at("/spec/selector/matchLabels").toString());
        assertEquals(2, deploy.at("/spec/replicas").asInt());
        assertEquals(List.of("nginx nginx:1.25 ports=[80] env=[]"), storedContainers("gen-ns", "web"));

        assertEquals("pod/solo created\n",
                ok("run", "solo", "--image=busybox:1.36", "--env=A=1", "--labels=tier=x", "-n", "gen-ns", "--", "sleep", "60").out());
        JsonNode pod = stored("gen-ns", "pod", "solo");
        assertEquals("{\"tier\":\"x\"}", pod.at("/metadata/labels").toString());
        assertEquals("[\"sleep\",\"60\"]", pod.at("/spec/containers/0/args").toString());
        assertEquals("solo busybox:1.36 ports=[] env=[A=1]", Container.stored(pod.at("/spec/containers/0")).summary());
        assertEquals("Always", pod.at("/spec/restartPolicy").asText());
    }

    @Test
    void createConfigMapSecretAndServiceAccountStoreTheirData() {
        namespace("gen2-ns");
        ok("create", "configmap", "cfg", "--from-literal=a=1", "--from-literal=b=two", "-n", "gen2-ns");
        assertEquals("{\"a\":\"1\",\"b\":\"two\"}", stored("gen2-ns", "configmap", "cfg").get("data").toString());
        ok("create", "secret", "generic", "creds", "--from-literal=password=hunter2", "-n", "gen2-ns");
        JsonNode secret = stored("gen2-ns", "secret", "creds");
        assertEquals(Base64.getEncoder().encodeToString("hunter2".getBytes()), secret.at("/data/password").asText());
        assertEquals("Opaque", secret.get("type").asText());
        assertEquals("serviceaccount/robot created\n", ok("create", "serviceaccount", "robot", "-n", "gen2-ns").out());
        assertEquals("robot", stored("gen2-ns", "serviceaccount", "robot").at("/metadata/name").asText());
        assertEquals("Active", ok("get", "namespace", "gen2-ns", "-o", "jsonpath={.status.phase}").out());
    }

    @Test
    void createJobAndServiceStoreNoZeroValuedJunk() {
        namespace("gen3-ns");
        ok("create", "job", "once", "--image=busybox:1.36", "-n", "gen3-ns", "--", "echo", "hi");
        JsonNode job = stored("gen3-ns", "job", "once");
        assertEquals("Never", job.at("/spec/template/spec/restartPolicy").asText());
        assertEquals("[\"echo\",\"hi\"]", job.at("/spec/template/spec/containers/0/command").toString());

        ok("create", "service", "clusterip", "front", "--tcp=80:8080", "-n", "gen3-ns");
        JsonNode port = stored("gen3-ns", "service", "front").at("/spec/ports/0");
        assertEquals("{\"name\":\"80-8080\",\"port\":80,\"protocol\":\"TCP\",\"targetPort\":8080}", port.toString());
        JsonNode spec = stored("gen3-ns", "service", "front").get("spec");
        assertEquals("ClusterIP", spec.get("type").asText());
        assertEquals("{\"app\":\"front\"}", spec.get("selector").toString());
        assertFalse(spec.path("clusterIP").asText().isEmpty(), spec::toString);
    }

    // ---- invalid manifests: upstream's error texts ----

    @Test
    void unknownFieldIsRejectedByDefaultStrictValidation() {
        namespace("bad-ns");
        String typo = deployment("web", 1).replace("replicas:", "replica:");
        Kubectl.Result create = fails(withInput(typo, "create", "-n", "bad-ns", "-f", "-"));
        assertEquals("Error from server (BadRequest): error when creating \"STDIN\": Deployment in version \"v1\" cannot be "
                + "handled as a Deployment: strict decoding error: unknown field \"spec.replica\"\n", create.err());
        fails(kubectl.run("get", "deploy", "web", "-n", "bad-ns"));
    }

    @Test
    void unknownFieldOnlyWarnsWithValidateWarnAndIsDroppedWithValidateFalse() {
        namespace("warn-ns");
        String typo = deployment("web", 1).replace("replicas:", "replica:");
        Kubectl.Result warn = withInput(typo, "create", "--validate=warn", "-n", "warn-ns", "-f", "-");
        assertTrue(warn.ok(), warn::toString);
        assertEquals("Warning: unknown field \"spec.replica\"\n", warn.err());
        Kubectl.Result ignore = withInput(typo.replace("name: web", "name: quiet"), "create", "--validate=false", "-n", "warn-ns", "-f", "-");
        assertTrue(ignore.ok(), ignore::toString);
        assertEquals("", ignore.err());
        // The unknown field is dropped, so replicas takes its default.
        assertEquals("1", ok("get", "deploy", "quiet", "-n", "warn-ns", "-o", "jsonpath={.spec.replicas}").out());
    }

    @Test
    void changingADeploymentSelectorIsRejectedAsImmutable() {
        namespace("immut-ns");
        // (Not "y" for the new label: YAML 1.1 reads a bare y as true.)
        kubectl.apply("immut-ns", deployment("x", "old", 1, List.of(new Container("main", "nginx:1.25", List.of(), List.of()))));
        Kubectl.Result change = fails(withInput(deployment("x", "new", 1, List.of(new Container("main", "nginx:1.25", List.of(), List.of()))),
                "apply", "-n", "immut-ns", "-f", "-"));
        assertEquals("The Deployment \"x\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string"
                + "{\"app\":\"new\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable\n", change.err());
        assertEquals("{\"app\":\"old\"}", stored("immut-ns", "deployment", "x").at("/spec/selector/matchLabels").toString());
    }

    @Test
    void badLabelValueIsRejectedWithTheLabelRule() {
        namespace("label-ns");
        Kubectl.Result create = fails(withInput(configMap("x", Map.of("app", "bad label!"), Map.of("k", "v")),
                "create", "-n", "label-ns", "-f", "-"));
        assertEquals("The ConfigMap \"x\" is invalid: metadata.labels: Invalid value: \"bad label!\": a valid label must be an "
                + "empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                + "alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
                + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')\n", create.err());
    }
}
