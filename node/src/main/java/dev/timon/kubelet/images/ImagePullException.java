package dev.timon.kubelet.images;

/** An image is not available; {@code reason} is the container's waiting reason (ErrImagePull, ImagePullBackOff, ErrImageNeverPull). */
public final class ImagePullException extends Exception {
    private final String reason;

    public ImagePullException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
