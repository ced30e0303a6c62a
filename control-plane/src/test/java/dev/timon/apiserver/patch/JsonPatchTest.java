package dev.timon.apiserver.patch;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonPatchTest {

    private static final String DEPLOYMENT = "{'metadata':{'name':'web','labels':{'app':'web'}},'spec':{'replicas':1}}";

    @Test
    void addsAField() {
        assertEquals(Json.parse("{'metadata':{'name':'web','labels':{'app':'web','tier':'front'}},'spec':{'replicas':1}}"),
                JsonPatch.apply(Json.parse(DEPLOYMENT), Json.parse("[{'op':'add','path':'/metadata/labels/tier','value':'front'}]")));
    }

    @Test
    void removesAField() {
        assertEquals(Json.parse("{'metadata':{'name':'web'},'spec':{'replicas':1}}"),
                JsonPatch.apply(Json.parse(DEPLOYMENT), Json.parse("[{'op':'remove','path':'/metadata/labels'}]")));
    }

    @Test
    void replacesAfterASuccessfulTest() {
        assertEquals(Json.parse("{'metadata':{'name':'web','labels':{'app':'web'}},'spec':{'replicas':5}}"),
                JsonPatch.apply(Json.parse(DEPLOYMENT), Json.parse(
                        "[{'op':'test','path':'/spec/replicas','value':1},{'op':'replace','path':'/spec/replicas','value':5}]")));
    }

    @Test
    void failedTestIsUnprocessable() {
        PatchException e = assertThrows(PatchException.class, () -> JsonPatch.apply(Json.parse(DEPLOYMENT),
                Json.parse("[{'op':'test','path':'/spec/replicas','value':2}]")));
        assertEquals(422, e.code());
        assertTrue(e.getMessage().contains("/spec/replicas"), e.getMessage());
    }

    @Test
    void missingPathIsUnprocessable() {
        PatchException e = assertThrows(PatchException.class, () -> JsonPatch.apply(Json.parse(DEPLOYMENT),
                Json.parse("[{'op':'remove','path':'/spec/paused'}]")));
        assertEquals(422, e.code());
        assertTrue(e.getMessage().contains("/spec/paused"), e.getMessage());
    }

    @Test
    void unknownOperationIsABadRequest() {
        PatchException e = assertThrows(PatchException.class, () -> JsonPatch.apply(Json.parse(DEPLOYMENT),
                Json.parse("[{'op':'frobnicate','path':'/spec'}]")));
        assertEquals(400, e.code());
    }

    @Test
    void patchMustBeAnArray() {
        PatchException e = assertThrows(PatchException.class,
                () -> JsonPatch.apply(Json.parse(DEPLOYMENT), Json.parse("{'op':'add'}")));
        assertEquals(400, e.code());
    }

    @Test
    void targetIsNotMutated() {
        var target = Json.parse(DEPLOYMENT);
        JsonPatch.apply(target, Json.parse("[{'op':'remove','path':'/spec'}]"));
        assertEquals(Json.parse(DEPLOYMENT), target);
    }
}
