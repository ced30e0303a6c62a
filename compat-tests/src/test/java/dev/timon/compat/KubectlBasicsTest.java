package dev.timon.compat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The everyday kubectl commands against a real API server on a real etcd, checked on what kubectl prints. */
class KubectlBasicsTest {

    private static Kubectl kubectl;

    @BeforeAll
    static void cluster() throws Exception {
        kubectl = TestCluster.get().kubectl();
    }

    private static Kubectl.Result ok(String... args) {
        Kubectl.Result result = kubectl.run(args);
        assertTrue(result.ok(), () -> String.join(" ", args) + "\n" + result);
        return result;
    }

    private static Kubectl.Result apply(String namespace, String yaml) {
        return kubectl.apply(namespace, yaml);
    }

    @Test
    void versionReportsMinor32AndDiscoveryListsEveryResource() {
        assertTrue(ok("version").out().contains("Server Version: v1.32"));
        String resources = ok("api-resources").out();
        for (String line : List.of("pods", "deployments", "cronjobs", "leases", "endpointslices")) {
            assertTrue(resources.contains(line), resources);
        }
        assertTrue(resources.lines().anyMatch(l -> l.matches("pods\\s+po\\s+v1\\s+true\\s+Pod")), resources);
        assertTrue(resources.lines().anyMatch(l -> l.matches("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment")), resources);
    }

    @Test
    void applyCreatesConfiguresAndLeavesUnchanged() {
        ok("create", "namespace", "apply-ns");
        assertTrue(apply("apply-ns", Manifests.deployment("web", 2, "nginx:1.25")).out().contains("deployment.apps/web created"));
        assertTrue(apply("apply-ns", Manifests.deployment("web", 2, "nginx:1.25")).out().contains("deployment.apps/web unchanged"));
        assertTrue(apply("apply-ns", Manifests.deployment("web", 3, "nginx:1.25")).out().contains("deployment.apps/web configured"));
        assertEquals("3", ok("get", "deploy", "web", "-n", "apply-ns", "-o", "jsonpath={.spec.replicas}").out());
        assertEquals("2", ok("get", "deploy", "web", "-n", "apply-ns", "-o", "jsonpath={.metadata.generation}").out());
    }

    @Test
    void getPrintsUpstreamColumnsAndFormats() {
        ok("create", "namespace", "get-ns");
        apply("get-ns", Manifests.deployment("api", 1, "busybox:1.36"));
        String table = ok("get", "deployments", "-n", "get-ns").out();
        assertTrue(table.lines().findFirst().orElse("").matches("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE"), table);
        String wide = ok("get", "deployments", "-n", "get-ns", "-o", "wide").out();
        assertTrue(wide.lines().findFirst().orElse("").contains("CONTAINERS   IMAGES         SELECTOR"), wide);
        assertTrue(wide.contains("busybox:1.36"), wide);
        assertEquals("deployment.apps/api\n", ok("get", "deploy", "-n", "get-ns", "-o", "name").out());
        assertTrue(ok("get", "deploy", "api", "-n", "get-ns", "-o", "yaml").out().contains("revisionHistoryLimit: 10"));
        assertTrue(ok("get", "deploy", "api", "-n", "get-ns", "-o", "json").out().contains("\"kind\": \"Deployment\""));
        String all = ok("get", "deployments", "-A").out();
        assertTrue(all.lines().findFirst().orElse("").startsWith("NAMESPACE"), all);
        assertTrue(all.lines().anyMatch(l -> l.startsWith("get-ns ") && l.contains("api")), all);
        String jobs = ok("get", "jobs", "-n", "get-ns").err();
        assertTrue(jobs.contains("No resources found in get-ns namespace."), jobs);
    }

    @Test
    void selectorsAndChunkedListsFilterAndPage() {
        ok("create", "namespace", "sel-ns");
        for (int i = 0; i < 7; i++) {
            ok("create", "configmap", "cm-" + i, "-n", "sel-ns", "--from-literal=i=" + i);
            ok("label", "configmap", "cm-" + i, "-n", "sel-ns", "parity=" + (i % 2 == 0 ? "even" : "odd"));
        }
        assertEquals(4, names(ok("get", "cm", "-n", "sel-ns", "-l", "parity=even", "-o", "name").out()).size());
        assertEquals(3, names(ok("get", "cm", "-n", "sel-ns", "-l", "parity!=even", "-o", "name").out()).size());
        assertEquals(7, names(ok("get", "cm", "-n", "sel-ns", "-l", "parity in (even,odd)", "-o", "name").out()).size());
        assertEquals(0, names(ok("get", "cm", "-n", "sel-ns", "-l", "!parity", "-o", "name").out()).size());
        assertEquals(List.of("configmap/cm-3"),
                names(ok("get", "cm", "-n", "sel-ns", "--field-selector", "metadata.name=cm-3", "-o", "name").out()));
        assertEquals(7, names(ok("get", "cm", "-n", "sel-ns", "-l", "parity", "--chunk-size=2", "-o", "name").out()).size());
        Kubectl.Result badField = kubectl.run("get", "cm", "-n", "sel-ns", "--field-selector", "spec.nope=1");
        assertFalse(badField.ok());
        assertTrue(badField.err().contains("field label not supported: spec.nope"), badField::toString);
    }

    @Test
    void labelAnnotatePatchAndScaleChangeTheStoredObject() {
        ok("create", "namespace", "edit-ns");
        apply("edit-ns", Manifests.deployment("web", 1, "nginx:1.25"));
        ok("label", "deploy", "web", "-n", "edit-ns", "tier=front");
        ok("annotate", "deploy", "web", "-n", "edit-ns", "owner=team-a");
        ok("patch", "deploy", "web", "-n", "edit-ns", "--type=merge", "-p", "{\"spec\":{\"minReadySeconds\":5}}");
        ok("patch", "deploy", "web", "-n", "edit-ns", "--type=json",
                "-p", "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"nginx:1.26\"}]");
        assertTrue(ok("scale", "deploy", "web", "-n", "edit-ns", "--replicas=4").out().contains("deployment.apps/web scaled"));
        String fields = ok("get", "deploy", "web", "-n", "edit-ns", "-o",
                "jsonpath={.metadata.labels.tier} {.metadata.annotations.owner} {.spec.minReadySeconds} "
                        + "{.spec.template.spec.containers[0].image} {.spec.replicas}").out();
        assertEquals("front team-a 5 nginx:1.26 4", fields);
    }

    @Test
    void replaceWithAStaleResourceVersionConflicts() throws Exception {
        ok("create", "namespace", "conflict-ns");
        ok("create", "configmap", "settings", "-n", "conflict-ns", "--from-literal=a=1");
        String stale = ok("get", "cm", "settings", "-n", "conflict-ns", "-o", "yaml").out();
        ok("patch", "cm", "settings", "-n", "conflict-ns", "-p", "{\"data\":{\"a\":\"2\"}}");
        Kubectl.Result replace = kubectl.run(java.util.Map.of(), stale.replace("a: \"1\"", "a: \"3\""),
                Kubectl.DEFAULT_TIMEOUT, "replace", "-f", "-");
        assertFalse(replace.ok(), replace::toString);
        assertTrue(replace.err().contains("Error from server (Conflict)") && replace.err().contains(
                "the object has been modified; please apply your changes to the latest version and try again"), replace::toString);
        assertEquals("2", ok("get", "cm", "settings", "-n", "conflict-ns", "-o", "jsonpath={.data.a}").out());
    }

    @Test
    void aFieldGivenTwiceFollowsFieldValidation() throws Exception {
        ok("create", "namespace", "dup-ns");
        java.nio.file.Path body = java.nio.file.Files.createTempFile(TestCluster.get().dir(), "dup", ".json");
        // kubectl --raw sends the bytes as they are, duplicate key included.
        java.nio.file.Files.writeString(body, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"d\"},"
                + "\"data\":{\"a\":\"1\"},\"data\":{\"a\":\"2\"}}");
        Kubectl.Result strict = kubectl.run("create", "--raw", "/api/v1/namespaces/dup-ns/configmaps?fieldValidation=Strict",
                "-f", body.toString());
        assertFalse(strict.ok());
        assertTrue(strict.err().contains("strict decoding error: duplicate field \"data\""), strict::toString);
        ok("create", "--raw", "/api/v1/namespaces/dup-ns/configmaps?fieldValidation=Ignore", "-f", body.toString());
        assertEquals("2", ok("get", "cm", "d", "-n", "dup-ns", "-o", "jsonpath={.data.a}").out(), "the last value wins");
    }

    @Test
    void errorsReadAsUpstreamPrintsThem() {
        ok("create", "namespace", "err-ns");
        Kubectl.Result missing = kubectl.run("get", "deploy", "nope", "-n", "err-ns");
        assertEquals("Error from server (NotFound): deployments.apps \"nope\" not found\n", missing.err());
        Kubectl.Result again = kubectl.run("create", "namespace", "err-ns");
        assertEquals("Error from server (AlreadyExists): namespaces \"err-ns\" already exists\n", again.err());
        Kubectl.Result invalid = kubectl.run(java.util.Map.of(), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: Bad_Name
                """, Kubectl.DEFAULT_TIMEOUT, "create", "-n", "err-ns", "-f", "-");
        assertFalse(invalid.ok());
        assertTrue(invalid.err().contains("The ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": "
                + "a lowercase RFC 1123 subdomain must consist of"), invalid::toString);
        Kubectl.Result wrongNamespace = kubectl.run("get", "pods", "-n", "no-such-ns");
        assertTrue(wrongNamespace.ok(), wrongNamespace::toString);
    }

    @Test
    void describeShowsTheObjectAndItsEvents() {
        ok("create", "namespace", "describe-ns");
        apply("describe-ns", Manifests.deployment("web", 2, "nginx:1.25"));
        String described = ok("describe", "deployment", "web", "-n", "describe-ns").out();
        assertTrue(described.contains("Name:                   web"), described);
        assertTrue(described.contains("Replicas:               2 desired"), described);
    }

    @Test
    void deleteRemovesTheObjectAndWaitsForIt() {
        ok("create", "namespace", "delete-ns");
        ok("create", "configmap", "doomed", "-n", "delete-ns");
        assertEquals("configmap \"doomed\" deleted\n", ok("delete", "configmap", "doomed", "-n", "delete-ns").out());
        Kubectl.Result gone = kubectl.run("get", "configmap", "doomed", "-n", "delete-ns");
        assertTrue(gone.err().contains("NotFound"), gone::toString);
        Kubectl.Result notThere = kubectl.run("delete", "configmap", "doomed", "-n", "delete-ns");
        assertEquals("Error from server (NotFound): configmaps \"doomed\" not found\n", notThere.err());
    }

    @Test
    void getWatchStreamsChangesAndWaitSeesAJsonpathCondition() throws Exception {
        ok("create", "namespace", "watch-ns");
        ok("create", "configmap", "watched", "-n", "watch-ns", "--from-literal=v=0");
        Kubectl.Running watch = kubectl.start(java.util.Map.of(), null, "get", "configmap", "watched", "-n", "watch-ns",
                "-w", "-o", "jsonpath={.data.v}{\"\\n\"}");
        Thread.sleep(1500);
        for (int v = 1; v <= 3; v++) {
            ok("patch", "configmap", "watched", "-n", "watch-ns", "-p", "{\"data\":{\"v\":\"" + v + "\"}}");
        }
        Kubectl.Result waited = kubectl.run("wait", "configmap/watched", "-n", "watch-ns",
                "--for=jsonpath={.data.v}=3", "--timeout=20s");
        assertTrue(waited.out().contains("configmap/watched condition met"), waited::toString);
        for (int i = 0; i < 100 && watch.out().lines().count() < 4; i++) {
            Thread.sleep(100);
        }
        watch.stop();
        assertEquals(List.of("0", "1", "2", "3"), watch.out().lines().toList());
    }

    private static List<String> names(String out) {
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
