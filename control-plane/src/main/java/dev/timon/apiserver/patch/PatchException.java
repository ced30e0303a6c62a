package dev.timon.apiserver.patch;

/**
 * A patch that cannot be applied. The message is written for the {@code message} of a Kubernetes Status;
 * {@link #code()} is the HTTP status upstream answers with: 400 when the patch document itself is malformed,
 * 422 when it is well-formed but cannot be applied to the object.
 */
public class PatchException extends RuntimeException {

    private final int code;

    public PatchException(int code, String message) {
        super(message);
        this.code = code;
    }

    /** The patch body is not a usable document of its content type. */
    public static PatchException badRequest(String message) {
        return new PatchException(400, message);
    }

    /** The patch is well-formed but does not apply to the object. */
    public static PatchException invalid(String message) {
        return new PatchException(422, message);
    }

    public int code() {
        return code;
    }
}
