package dev.timon.controlplane;

import java.util.concurrent.CountDownLatch;

/** Entry point of the control-plane process that {@code ./timon up} starts. */
public final class ControlPlaneMain {

    private ControlPlaneMain() {
    }

    public static void main(String[] args) throws Exception {
        ControlPlane controlPlane = ControlPlane.start(ControlPlaneConfig.fromArgs(args));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                controlPlane.close();
            } catch (Exception e) {
                // The process is exiting anyway; nothing left to clean up.
            }
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
