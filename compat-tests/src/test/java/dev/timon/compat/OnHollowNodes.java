package dev.timon.compat;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** A test class running its workloads on its own pool of hollow nodes, started before its tests and stopped after. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OnHollowNodes {

    private final String prefix;
    private final int count;
    private final String pool;
    protected Kubectl kubectl;
    protected KubernetesClient client;
    protected HollowPool nodes;

    protected OnHollowNodes(String prefix, int count, String pool) {
        this.prefix = prefix;
        this.count = count;
        this.pool = pool;
    }

    @BeforeAll
    void startNodes() throws Exception {
        kubectl = TestCluster.get().kubectl();
        client = TestCluster.get().newClient();
        nodes = HollowPool.start(prefix, count, pool);
    }

    @AfterAll
    void stopNodes() {
        nodes.close();
        client.close();
    }
}
