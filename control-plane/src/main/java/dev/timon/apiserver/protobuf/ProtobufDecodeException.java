package dev.timon.apiserver.protobuf;

/** A protobuf request body that cannot be decoded; the server answers 400 BadRequest with this message. */
public class ProtobufDecodeException extends RuntimeException {

    public ProtobufDecodeException(String message) {
        super(message);
    }

    public ProtobufDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
