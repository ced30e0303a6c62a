package dev.timon.compat;

import dev.timon.node.hollow.HollowNodes;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Hollow nodes for one test class, in this JVM under the class's own name prefix. Closing stops them and deletes
 * their Node objects, so the next class sees only its own nodes (FailedScheduling messages count every node).
 */
final class TestNodes implements AutoCloseable {

    private final KubernetesClient client;
    private final HollowNodes hollow;
    private final List<String> names;

    private TestNodes(KubernetesClient client, HollowNodes hollow, List<String> names) {
        this.client = client;
        this.hollow = hollow;
        this.names = names;
    }

    static TestNodes start(String prefix, int count) throws Exception {
        KubernetesClient client = TestCluster.get().newClient();
        HollowNodes hollow = new HollowNodes(client, prefix, count, 8);
        hollow.start();
        return new TestNodes(client, hollow, IntStream.range(0, count).mapToObj(hollow::nodeName).toList());
    }

    List<String> names() {
        return names;
    }

    String name(int index) {
        return names.get(index);
    }

    @Override
    public void close() {
        hollow.close();
        names.forEach(name -> client.nodes().withName(name).delete());
        client.close();
    }
}
