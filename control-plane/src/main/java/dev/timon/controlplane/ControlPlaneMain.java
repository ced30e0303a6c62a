package dev.timon.controlplane;

import dev.timon.client.ComponentFlags;

/** Entry point of the control-plane process that {@code ./timon up} starts. */
public final class ControlPlaneMain {

    private ControlPlaneMain() {
    }

    public static void main(String[] args) throws Exception {
        ComponentFlags.runUntilShutdown(ControlPlane.start(ControlPlaneConfig.fromArgs(args)));
    }
}
