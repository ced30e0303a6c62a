package dev.timon.apiserver.openapi;

import java.util.List;
import java.util.Map;

/**
 * One HTTP operation of the API, independent of the OpenAPI version it is written in.
 *
 * @param path        the URL path template, e.g. /apis/apps/v1/namespaces/{namespace}/deployments/{name}
 * @param method      lower-case HTTP method, as OpenAPI path items key operations
 * @param action      the x-kubernetes-action: get, list, post, put, patch, delete or deletecollection
 * @param body        the request body schema name, or null when the operation takes none
 * @param bodyTypes   the content types the body may have
 * @param responses   status code to response schema name
 * @param produces    the content types of the responses
 */
record Operation(String path, String method, String operationId, String tag, String action, Gvk gvk,
                 List<Parameter> parameters, String body, List<String> bodyTypes, Map<String, String> responses,
                 List<String> produces) {

    /** The description OpenAPI responses carry, the status text of their code. */
    static String statusText(String code) {
        return switch (code) {
            case "200" -> "OK";
            case "201" -> "Created";
            case "202" -> "Accepted";
            case "401" -> "Unauthorized";
            default -> "";
        };
    }

    /** A path or query parameter; every parameter the API takes is a scalar. */
    record Parameter(String name, String in, String type, boolean required, String description) {

        static Parameter path(String name, String description) {
            return new Parameter(name, "path", "string", true, description);
        }

        static Parameter query(String name, String type, String description) {
            return new Parameter(name, "query", type, false, description);
        }
    }
}
