package dev.timon.kubelet.server;

import java.nio.file.Path;
import java.util.Set;

/**
 * Where and how the {@link NodeServer} listens.
 *
 * @param host           address to bind
 * @param port           port (10250 as upstream; 0 picks a free one)
 * @param certificate    PEM serving certificate, issued by the cluster CA for the node's addresses
 * @param key            its PEM private key
 * @param clientCa       PEM CA that client certificates must chain to (the cluster CA)
 * @param allowedClients common names allowed in; empty: any certificate from {@code clientCa}
 */
public record NodeServerConfig(String host, int port, Path certificate, Path key, Path clientCa, Set<String> allowedClients) {

    public static final int DEFAULT_PORT = 10250;
}
