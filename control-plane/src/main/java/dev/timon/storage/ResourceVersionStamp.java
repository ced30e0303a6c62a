package dev.timon.storage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes an object's resourceVersion into its stored JSON without decoding it: the registry stores objects without
 * one (etcd's revision is the version), and decoding every watched change into a model object only to set that
 * field and encode it again was about a twentieth of the API server's CPU under a create load.
 */
final class ResourceVersionStamp {

    private static final byte[] METADATA = "metadata".getBytes(StandardCharsets.UTF_8);
    private static final byte[] RESOURCE_VERSION = "resourceVersion".getBytes(StandardCharsets.UTF_8);

    private ResourceVersionStamp() {
    }

    /**
     * {@code json} with {@code "resourceVersion":"<revision>"} first in its top-level metadata, or null when it is
     * not a JSON object with a metadata object free of a resourceVersion (the caller then decodes and encodes).
     */
    static byte[] stamp(byte[] json, long revision) {
        int depth = 0;
        int metadataStart = -1;
        for (int i = 0; i < json.length; i++) {
            byte b = json[i];
            if (b == '"') {
                int end = closingQuote(json, i);
                if (end < 0) {
                    return null;
                }
                boolean key = nextNonSpace(json, end + 1) == ':';
                if (key && depth == 1 && metadataStart < 0
                        && Arrays.equals(json, i + 1, end, METADATA, 0, METADATA.length)) {
                    int open = indexOfNonSpace(json, indexOfNonSpace(json, end + 1) + 1);
                    if (open < 0 || json[open] != '{') {
                        return null;
                    }
                    metadataStart = open + 1;
                    depth = 2;
                    i = open;
                    continue;
                }
                if (key && depth == 2 && metadataStart >= 0
                        && Arrays.equals(json, i + 1, end, RESOURCE_VERSION, 0, RESOURCE_VERSION.length)) {
                    return null;
                }
                i = end;
            } else if (b == '{' || b == '[') {
                if (depth == 0 && b != '{') {
                    return null;
                }
                depth++;
            } else if (b == '}' || b == ']') {
                depth--;
                if (depth == 1 && metadataStart >= 0) {
                    return insert(json, metadataStart, revision);
                }
            }
        }
        return null;
    }

    private static byte[] insert(byte[] json, int at, long revision) {
        boolean empty = nextNonSpace(json, at) == '}';
        byte[] field = ("\"resourceVersion\":\"" + revision + "\"" + (empty ? "" : ","))
                .getBytes(StandardCharsets.UTF_8);
        byte[] stamped = new byte[json.length + field.length];
        System.arraycopy(json, 0, stamped, 0, at);
        System.arraycopy(field, 0, stamped, at, field.length);
        System.arraycopy(json, at, stamped, at + field.length, json.length - at);
        return stamped;
    }

    /** The index of the quote closing the string opened at {@code open}; -1 if it is never closed. */
    private static int closingQuote(byte[] json, int open) {
        for (int i = open + 1; i < json.length; i++) {
            if (json[i] == '\\') {
                i++;
            } else if (json[i] == '"') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfNonSpace(byte[] json, int from) {
        for (int i = Math.max(from, 0); i < json.length; i++) {
            byte b = json[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return i;
            }
        }
        return -1;
    }

    private static int nextNonSpace(byte[] json, int from) {
        int i = indexOfNonSpace(json, from);
        return i < 0 ? -1 : json[i];
    }
}
