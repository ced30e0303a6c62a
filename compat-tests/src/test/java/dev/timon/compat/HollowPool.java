package dev.timon.compat;

import dev.timon.client.KubeClients;
import dev.timon.node.hollow.HollowNodes;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hollow nodes a test class starts in this JVM, labelled {@code pool=<pool>}. Every test class shares one
 * cluster, so workloads select their pool with a nodeSelector and never land on another class's nodes (which
 * may be stopped but not yet noticed). Closing stops the nodes and deletes their Node objects.
 */
final class HollowPool implements AutoCloseable {

    private final KubernetesClient client;
    private final HollowNodes nodes;
    private final List<String> names = new ArrayList<>();

    private HollowPool(KubernetesClient client, HollowNodes nodes) {
        this.client = client;
        this.nodes = nodes;
    }

    /** Starts {@code count} nodes named {@code prefix0..}; the prefix must not start another pool's prefix. */
    static HollowPool start(String prefix, int count, String pool) throws Exception {
        KubernetesClient client = KubeClients.fromKubeconfig(TestCluster.get().kubeconfig());
        HollowPool started = new HollowPool(client, new HollowNodes(client, prefix, count, 4));
        started.nodes.start();
        for (int i = 0; i < count; i++) {
            String name = started.nodes.nodeName(i);
            started.names.add(name);
            client.nodes().withName(name).edit(n -> {
                n.getMetadata().getLabels().putAll(Map.of("pool", pool));
                return n;
            });
        }
        return started;
    }

    List<String> nodeNames() {
        return List.copyOf(names);
    }

    String name(int index) {
        return names.get(index);
    }

    /** Stops the simulated kubelets but leaves their Node objects, as a machine that went away would. */
    void stopAgents() {
        nodes.close();
    }

    @Override
    public void close() {
        nodes.close();
        names.forEach(name -> client.nodes().withName(name).delete());
        client.close();
    }
}
