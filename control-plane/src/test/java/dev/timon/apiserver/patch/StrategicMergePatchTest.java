package dev.timon.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StrategicMergePatchTest {

    /** One documented strategic-merge behaviour: applying {@code patch} to {@code original} gives {@code expected}. */
    record Case(String name, Class<?> type, String original, String patch, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String TWO_CONTAINERS = "{'spec':{'template':{'spec':{'containers':["
            + "{'name':'web','image':'nginx:1.24','ports':[{'containerPort':80},{'containerPort':8080}],"
            + "'env':[{'name':'A','value':'1'}]},"
            + "{'name':'sidecar','image':'busybox'}]}}}}";

    static Stream<Case> cases() {
        return Stream.of(
                new Case("container env entry added (kubectl apply patch)", Deployment.class,
                        TWO_CONTAINERS,
                        "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'web'},{'name':'sidecar'}],"
                                + "'containers':[{'name':'web','$setElementOrder/env':[{'name':'A'},{'name':'B'}],"
                                + "'env':[{'name':'B','value':'2'}]}]}}}}",
                        "{'spec':{'template':{'spec':{'containers':["
                                + "{'name':'web','image':'nginx:1.24','ports':[{'containerPort':80},{'containerPort':8080}],"
                                + "'env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]},"
                                + "{'name':'sidecar','image':'busybox'}]}}}}"),
                new Case("without $setElementOrder a new entry goes before server-only ones, as upstream", Deployment.class,
                        TWO_CONTAINERS,
                        "{'spec':{'template':{'spec':{'containers':[{'name':'web','env':[{'name':'B','value':'2'}]}]}}}}",
                        "{'spec':{'template':{'spec':{'containers':["
                                + "{'name':'web','image':'nginx:1.24','ports':[{'containerPort':80},{'containerPort':8080}],"
                                + "'env':[{'name':'B','value':'2'},{'name':'A','value':'1'}]},"
                                + "{'name':'sidecar','image':'busybox'}]}}}}"),
                new Case("container port removed via $patch: delete", Deployment.class,
                        TWO_CONTAINERS,
                        "{'spec':{'template':{'spec':{'containers':[{'name':'web','ports':[{'containerPort':8080,'$patch':'delete'}]}]}}}}",
                        "{'spec':{'template':{'spec':{'containers':["
                                + "{'name':'web','image':'nginx:1.24','ports':[{'containerPort':80}],'env':[{'name':'A','value':'1'}]},"
                                + "{'name':'sidecar','image':'busybox'}]}}}}"),
                new Case("container renamed (kubectl 3-way patch)", Pod.class,
                        "{'spec':{'containers':[{'name':'old','image':'nginx'}]}}",
                        "{'spec':{'$setElementOrder/containers':[{'name':'new'}],"
                                + "'containers':[{'name':'new','image':'nginx'},{'name':'old','$patch':'delete'}]}}",
                        "{'spec':{'containers':[{'name':'new','image':'nginx'}]}}"),
                new Case("containers reordered by $setElementOrder alone", Pod.class,
                        "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
                        "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}]}}",
                        "{'spec':{'containers':[{'name':'b'},{'name':'a'}]}}"),
                new Case("server-only entry keeps its place when the client reorders", Pod.class,
                        "{'spec':{'containers':[{'name':'a'},{'name':'injected'},{'name':'b'}]}}",
                        "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}]}}",
                        "{'spec':{'containers':[{'name':'injected'},{'name':'b'},{'name':'a'}]}}"),
                new Case("map key deleted with null", ConfigMap.class,
                        "{'metadata':{'labels':{'a':'1','b':'2'}},'data':{'x':'1','y':'2'}}",
                        "{'metadata':{'labels':{'b':null}},'data':{'y':null,'z':'3'}}",
                        "{'metadata':{'labels':{'a':'1'}},'data':{'x':'1','z':'3'}}"),
                new Case("$retainKeys: RollingUpdate -> Recreate clears rollingUpdate", Deployment.class,
                        "{'spec':{'replicas':2,'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1,'maxUnavailable':0}}}}",
                        "{'spec':{'strategy':{'$retainKeys':['type'],'rollingUpdate':null,'type':'Recreate'}}}",
                        "{'spec':{'replicas':2,'strategy':{'type':'Recreate'}}}"),
                new Case("$deleteFromPrimitiveList/finalizers", ConfigMap.class,
                        "{'metadata':{'finalizers':['a','b','c']}}",
                        "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b']}}",
                        "{'metadata':{'finalizers':['a','c']}}"),
                new Case("finalizers merge as a union", ConfigMap.class,
                        "{'metadata':{'finalizers':['a','b']}}",
                        "{'metadata':{'$setElementOrder/finalizers':['a','b','c'],'finalizers':['c']}}",
                        "{'metadata':{'finalizers':['a','b','c']}}"),
                new Case("$patch: replace on a list", Pod.class,
                        "{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'y'}]}}",
                        "{'spec':{'containers':[{'name':'c','image':'z'},{'$patch':'replace'}]}}",
                        "{'spec':{'containers':[{'name':'c','image':'z'}]}}"),
                new Case("$patch: replace on a map", ConfigMap.class,
                        "{'metadata':{'name':'m','labels':{'a':'1','b':'2'}}}",
                        "{'metadata':{'labels':{'$patch':'replace','c':'3'}}}",
                        "{'metadata':{'name':'m','labels':{'c':'3'}}}"),
                new Case("$patch: delete on a map empties it", Pod.class,
                        "{'spec':{'securityContext':{'runAsUser':1000},'nodeName':'n'}}",
                        "{'spec':{'securityContext':{'$patch':'delete'}}}",
                        "{'spec':{'securityContext':{},'nodeName':'n'}}"),
                new Case("$patch: merge on a map is the default", ConfigMap.class,
                        "{'metadata':{'labels':{'a':'1'}}}",
                        "{'metadata':{'labels':{'$patch':'merge','b':'2'}}}",
                        "{'metadata':{'labels':{'a':'1','b':'2'}}}"),
                new Case("cordon", Node.class,
                        "{'metadata':{'name':'node1'},'spec':{'podCIDR':'10.0.0.0/24'}}",
                        "{'spec':{'unschedulable':true}}",
                        "{'metadata':{'name':'node1'},'spec':{'podCIDR':'10.0.0.0/24','unschedulable':true}}"),
                new Case("uncordon", Node.class,
                        "{'metadata':{'name':'node1'},'spec':{'podCIDR':'10.0.0.0/24','unschedulable':true}}",
                        "{'spec':{'unschedulable':null}}",
                        "{'metadata':{'name':'node1'},'spec':{'podCIDR':'10.0.0.0/24'}}"),
                new Case("kubectl set image", Deployment.class,
                        "{'spec':{'template':{'spec':{'containers':[{'name':'web','image':'nginx:1.24'},{'name':'sidecar','image':'busybox'}]}}}}",
                        "{'spec':{'template':{'spec':{'containers':[{'image':'nginx:1.25','name':'web'}]}}}}",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'web','image':'nginx:1.25'},{'name':'sidecar','image':'busybox'}]}}}}"),
                new Case("tolerations have no merge strategy and are replaced", Pod.class,
                        "{'spec':{'tolerations':[{'key':'a','operator':'Exists'},{'key':'b','operator':'Exists'}]}}",
                        "{'spec':{'tolerations':[{'key':'c','operator':'Exists'}]}}",
                        "{'spec':{'tolerations':[{'key':'c','operator':'Exists'}]}}"),
                new Case("node conditions merge by type", Node.class,
                        "{'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'MemoryPressure','status':'False'}]}}",
                        "{'status':{'conditions':[{'type':'Ready','status':'True'}]}}",
                        "{'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'MemoryPressure','status':'False'}]}}"),
                new Case("maps inside merged entries merge key by key", Pod.class,
                        "{'spec':{'containers':[{'name':'a','resources':{'limits':{'cpu':'1','memory':'1Gi'}}}]}}",
                        "{'spec':{'containers':[{'name':'a','resources':{'limits':{'cpu':'2','memory':null}}}]}}",
                        "{'spec':{'containers':[{'name':'a','resources':{'limits':{'cpu':'2'}}}]}}"),
                new Case("free-form documents fall back to JSON merge", null,
                        "{'spec':{'items':[1,2],'nested':{'a':1,'b':2}}}",
                        "{'spec':{'items':[3],'nested':{'b':null,'c':3}}}",
                        "{'spec':{'items':[3],'nested':{'a':1,'c':3}}}"),
                new Case("a field missing from the original takes the patch without its directives", Pod.class,
                        "{'spec':{}}",
                        "{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80},{'containerPort':81,'$patch':'delete'}]}]}}",
                        "{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80}]}]}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void appliesDocumentedBehaviour(Case c) {
        JsonNode original = Json.parse(c.original());
        JsonNode patch = Json.parse(c.patch());
        JsonNode originalBefore = original.deepCopy();
        JsonNode patchBefore = patch.deepCopy();

        assertEquals(Json.parse(c.expected()), StrategicMergePatch.apply(original, patch, c.type()));
        assertEquals(originalBefore, original, "original must not be mutated");
        assertEquals(patchBefore, patch, "patch must not be mutated");
    }

    @Test
    void unknownDirectiveIsRejected() {
        PatchException e = assertThrows(PatchException.class, () -> StrategicMergePatch.apply(
                Json.parse("{'metadata':{}}"), Json.parse("{'metadata':{'$patch':'explode'}}"), ConfigMap.class));
        assertEquals(422, e.code());
        assertEquals("unknown patch type: \"explode\" in map: {}", e.getMessage());
    }

    @Test
    void mergeListEntryWithoutMergeKeyIsRejected() {
        PatchException e = assertThrows(PatchException.class, () -> StrategicMergePatch.apply(
                Json.parse("{'spec':{'containers':[{'name':'a'}]}}"),
                Json.parse("{'spec':{'containers':[{'image':'x'}]}}"), Pod.class));
        assertEquals("map: {\"image\":\"x\"} does not contain declared merge key: name", e.getMessage());
    }

    @Test
    void retainKeysMustListEveryPatchedField() {
        PatchException e = assertThrows(PatchException.class, () -> StrategicMergePatch.apply(
                Json.parse("{'spec':{'strategy':{'type':'RollingUpdate'}}}"),
                Json.parse("{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate','rollingUpdate':{}}}}"),
                Deployment.class));
        assertEquals("invalid patch format of retainKeys", e.getMessage());
    }

    @Test
    void patchMustBeAnObject() {
        PatchException e = assertThrows(PatchException.class,
                () -> StrategicMergePatch.apply(Json.parse("{}"), Json.parse("[]"), Pod.class));
        assertEquals(400, e.code());
    }
}
