package dev.timon.client;

import dev.timon.controlplane.ControlPlane;
import dev.timon.controlplane.TestControlPlane;
import dev.timon.storage.TestEtcd;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class InformersTest {

    /**
     * A component started before its API server (or while that server is too busy to answer its first list) syncs once
     * the server answers, as upstream's reflectors retry their lists: fabric8's informers stop for good when their
     * first list fails. The server here is a second control plane on the cluster's etcd, started after the informers.
     */
    @Test
    void informersSyncOnceTheirApiServerComesUp() throws Exception {
        TestControlPlane cluster = TestControlPlane.get();
        int port = TestEtcd.freePort();
        Path kubeconfig = Files.createTempFile(cluster.dir(), "late-apiserver", ".kubeconfig");
        Files.writeString(kubeconfig, Files.readString(cluster.kubeconfig())
                .replace("https://127.0.0.1:" + cluster.apiPort(), "https://127.0.0.1:" + port));
        try (KubernetesClient client = KubeClients.fromKubeconfig(kubeconfig);
             Informers informers = new Informers(client)) {
            informers.forType(Namespace.class);
            CompletableFuture<Void> synced = CompletableFuture.runAsync(() -> {
                try {
                    informers.startAndSync(60);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // Nothing listens on the port yet: every list is refused at once, and the first fails long before this.
            Thread.sleep(1_000);
            assertFalse(synced.isDone(), "the informers gave up while the API server was down");
            try (ControlPlane late = cluster.startReplica(port)) {
                synced.get(60, TimeUnit.SECONDS);
                assertNotNull(informers.get(Namespace.class, null, "default"));
            }
        }
    }
}
