package dev.timon.apiserver.protobuf;

import java.util.Set;

/**
 * JSON names of the built-in types' scalar fields that are pointers in Go (*int32, *int64, *bool). A zero or
 * false for one of them on the wire was set on purpose (replicas: 0, runAsUser: 0, suspend: false) and is kept;
 * for every other scalar field it is Go's zero value and means "unset".
 */
final class GoPointerFields {

    static final Set<String> NAMES = Set.of(
            // workloads
            "replicas", "revisionHistoryLimit", "progressDeadlineSeconds", "partition", "maxUnavailable", "maxSurge",
            // jobs and cronjobs
            "parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "backoffLimitPerIndex",
            "maxFailedIndexes", "ttlSecondsAfterFinished", "suspend", "manualSelector", "startingDeadlineSeconds",
            "successfulJobsHistoryLimit", "failedJobsHistoryLimit",
            // pods
            "terminationGracePeriodSeconds", "automountServiceAccountToken", "enableServiceLinks", "priority",
            "shareProcessNamespace", "setHostnameAsFQDN", "hostUsers", "tolerationSeconds", "runAsUser", "runAsGroup",
            "runAsNonRoot", "fsGroup", "privileged", "readOnlyRootFilesystem", "allowPrivilegeEscalation",
            "defaultMode", "mode", "optional", "expirationSeconds",
            // services, leases, deletes, configuration
            "allocateLoadBalancerNodePorts", "timeoutSeconds", "leaseDurationSeconds", "leaseTransitions",
            "gracePeriodSeconds", "orphanDependents", "immutable", "ready", "serving", "terminating", "port");

    private GoPointerFields() {
    }
}
