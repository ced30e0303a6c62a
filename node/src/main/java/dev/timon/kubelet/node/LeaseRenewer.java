package dev.timon.kubelet.node;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** The node's heartbeat: its Lease in kube-node-lease, renewed every 10 s (upstream's renew interval). */
public final class LeaseRenewer {
    public static final String NAMESPACE = "kube-node-lease";
    private static final int LEASE_DURATION_SECONDS = 40;

    private final KubernetesClient client;
    private final String nodeName;

    public LeaseRenewer(KubernetesClient client, String nodeName) {
        this.client = client;
        this.nodeName = nodeName;
    }

    public void renew() {
        var leases = client.leases().inNamespace(NAMESPACE);
        var now = ZonedDateTime.now(ZoneOffset.UTC);
        Lease lease = leases.withName(nodeName).get();
        if (lease == null) {
            var node = client.nodes().withName(nodeName).get();
            var builder = new LeaseBuilder().withNewMetadata().withName(nodeName).withNamespace(NAMESPACE).endMetadata()
                    .withNewSpec().withHolderIdentity(nodeName).withLeaseDurationSeconds(LEASE_DURATION_SECONDS)
                    .withRenewTime(now).endSpec();
            if (node != null) {
                builder.editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                        .withName(nodeName).withUid(node.getMetadata().getUid()).build()).endMetadata();
            }
            leases.resource(builder.build()).create();
            return;
        }
        lease.getSpec().setRenewTime(now);
        lease.getSpec().setHolderIdentity(nodeName);
        lease.getSpec().setLeaseDurationSeconds(LEASE_DURATION_SECONDS);
        leases.resource(lease).update();
    }
}
