package dev.timon.kubelet.node;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The node's heartbeat: its Lease in kube-node-lease, renewed every 10 s (upstream's renew interval). Like
 * upstream's lease controller it keeps the Lease it last wrote, so a renewal is a single PUT; only a conflict or
 * a missing Lease costs a GET (and a create).
 */
public final class LeaseRenewer {
    public static final String NAMESPACE = "kube-node-lease";
    private static final int LEASE_DURATION_SECONDS = 40;
    private static final int MAX_ATTEMPTS = 5;

    private final KubernetesClient client;
    private final String nodeName;
    private Lease latest;

    public LeaseRenewer(KubernetesClient client, String nodeName) {
        this.client = client;
        this.nodeName = nodeName;
    }

    public synchronized void renew() {
        var leases = client.leases().inNamespace(NAMESPACE);
        var now = ZonedDateTime.now(ZoneOffset.UTC);
        if (latest != null) {
            try {
                latest = leases.resource(renewed(latest, now)).update();
                return;
            } catch (KubernetesClientException e) {
                latest = null;
                if (e.getCode() != 409 && e.getCode() != 404) {
                    throw e;
                }
            }
        }
        // Another writer (a previous agent for this node still stopping) may move the Lease between our read and
        // write: read it again, a bounded number of times, as upstream's lease controller retries.
        for (int attempt = 1; ; attempt++) {
            try {
                latest = readAndWrite(now);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private Lease readAndWrite(ZonedDateTime now) {
        var leases = client.leases().inNamespace(NAMESPACE);
        Lease lease = leases.withName(nodeName).get();
        if (lease == null) {
            var node = client.nodes().withName(nodeName).get();
            var builder = new LeaseBuilder().withNewMetadata().withName(nodeName).withNamespace(NAMESPACE).endMetadata()
                    .withNewSpec().endSpec();
            if (node != null) {
                builder.editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                        .withName(nodeName).withUid(node.getMetadata().getUid()).build()).endMetadata();
            }
            return leases.resource(renewed(builder.build(), now)).create();
        }
        return leases.resource(renewed(lease, now)).update();
    }

    private Lease renewed(Lease lease, ZonedDateTime now) {
        lease.getSpec().setRenewTime(now);
        lease.getSpec().setHolderIdentity(nodeName);
        lease.getSpec().setLeaseDurationSeconds(LEASE_DURATION_SECONDS);
        return lease;
    }
}
