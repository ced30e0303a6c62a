package dev.timon.apiserver.patch;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonMergePatchTest {

    /** Cases from RFC 7386, appendix A, plus a nested-object merge. */
    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "{'a':'b'}             | {'a':'c'}             | {'a':'c'}",
            "{'a':'b'}             | {'b':'c'}             | {'a':'b','b':'c'}",
            "{'a':'b'}             | {'a':null}            | {}",
            "{'a':'b','b':'c'}     | {'a':null}            | {'b':'c'}",
            "{'a':['b']}           | {'a':'c'}             | {'a':'c'}",
            "{'a':'c'}             | {'a':['b']}           | {'a':['b']}",
            "{'a':{'b':'c'}}       | {'a':{'b':'d','c':null}} | {'a':{'b':'d'}}",
            "{'a':[{'b':'c'}]}     | {'a':[1]}             | {'a':[1]}",
            "['a','b']             | ['c','d']             | ['c','d']",
            "{'a':'b'}             | ['c']                 | ['c']",
            "{'a':'foo'}           | null                  | null",
            "{'a':'foo'}           | 'bar'                 | 'bar'",
            "{'e':null}            | {'a':1}               | {'e':null,'a':1}",
            "[1,2]                 | {'a':'b','c':null}    | {'a':'b'}",
            "{}                    | {'a':{'bb':{'ccc':null}}} | {'a':{'bb':{}}}",
            "{'spec':{'replicas':1,'paused':true}} | {'spec':{'replicas':3}} | {'spec':{'replicas':3,'paused':true}}",
    })
    void appliesRfc7386(String target, String patch, String expected) {
        assertEquals(Json.parse(expected), JsonMergePatch.apply(Json.parse(target), Json.parse(patch)));
    }
}
