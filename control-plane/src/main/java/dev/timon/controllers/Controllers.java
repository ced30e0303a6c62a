package dev.timon.controllers;

import dev.timon.controllers.deployment.DeploymentController;
import dev.timon.controllers.garbagecollector.GarbageCollector;
import dev.timon.controllers.namespace.NamespaceController;
import dev.timon.controllers.replicaset.ReplicaSetController;
import dev.timon.controllers.cronjob.CronJobController;
import dev.timon.controllers.daemonset.DaemonSetController;
import dev.timon.controllers.endpoints.EndpointSliceController;
import dev.timon.controllers.endpoints.EndpointsController;
import dev.timon.controllers.job.JobController;
import dev.timon.controllers.nodelifecycle.NodeLifecycleController;
import dev.timon.controllers.nodelifecycle.TaintEvictionController;
import dev.timon.controllers.podgc.PodGcController;
import dev.timon.controllers.serviceaccount.ServiceAccountController;
import dev.timon.controllers.statefulset.StatefulSetController;
import dev.timon.controllers.ttlafterfinished.TtlAfterFinishedController;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The controllers the controller manager runs, by name (the names upstream's --controllers flag uses). */
public final class Controllers {

    private Controllers() {
    }

    public static Map<String, Function<ControllerContext, Controller>> all() {
        Map<String, Function<ControllerContext, Controller>> controllers = new LinkedHashMap<>();
        controllers.put("replicaset", ReplicaSetController::new);
        controllers.put("deployment", DeploymentController::new);
        controllers.put("garbagecollector", GarbageCollector::new);
        controllers.put("namespace", NamespaceController::new);
        controllers.put("serviceaccount", ServiceAccountController::new);
        controllers.put("nodelifecycle", NodeLifecycleController::new);
        controllers.put("taint-eviction-controller", TaintEvictionController::new);
        controllers.put("podgc", PodGcController::new);
        controllers.put("endpoints", EndpointsController::new);
        controllers.put("endpointslice", EndpointSliceController::new);
        controllers.put("job", JobController::new);
        controllers.put("ttl-after-finished", TtlAfterFinishedController::new);
        controllers.put("cronjob", CronJobController::new);
        controllers.put("daemonset", DaemonSetController::new);
        controllers.put("statefulset", StatefulSetController::new);
        return controllers;
    }
}
