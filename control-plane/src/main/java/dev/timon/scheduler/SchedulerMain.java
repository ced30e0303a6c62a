package dev.timon.scheduler;

import dev.timon.client.ComponentFlags;

/** Entry point of a stand-alone scheduler: {@code --kubeconfig K [--leader-elect=true]
 * [--leader-elect-resource-name LEASE]}. */
public final class SchedulerMain {

    private SchedulerMain() {
    }

    public static void main(String[] args) throws Exception {
        ComponentFlags flags = ComponentFlags.parse("scheduler", args);
        ComponentFlags.runUntilShutdown(SchedulerService.start(flags.kubeconfig(), flags.lease(SchedulerService.LEASE_NAME)));
    }
}
