package dev.timon.kubelet.status;

/** Why a container is not running (ContainerCreating, ErrImagePull, CrashLoopBackOff, ...), as its waiting state says. */
public record Waiting(String reason, String message) {
}
