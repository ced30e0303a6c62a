package dev.timon.controllers;

import dev.timon.client.ComponentFlags;

/** Entry point of a stand-alone controller manager: {@code --kubeconfig K [--leader-elect=true]
 * [--leader-elect-resource-name LEASE]}. */
public final class ControllerManagerMain {

    private ControllerManagerMain() {
    }

    public static void main(String[] args) throws Exception {
        ComponentFlags flags = ComponentFlags.parse("controller-manager", args);
        ControllerManager manager = ControllerManager.start(flags.kubeconfig(),
                flags.lease(ControllerManager.LEASE_NAME), Controllers.all());
        ComponentFlags.runUntilShutdown(manager);
    }
}
