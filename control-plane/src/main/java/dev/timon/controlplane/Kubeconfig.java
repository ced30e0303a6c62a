package dev.timon.controlplane;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/** Writes a kubeconfig that points kubectl at the API server with the CA and a bearer token. */
public final class Kubeconfig {

    private Kubeconfig() {
    }

    public static void write(Path file, String server, Path caCertificate, String token) throws IOException {
        String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(caCertificate));
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: timon
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: admin
                  user:
                    token: %s
                contexts:
                - name: timon
                  context:
                    cluster: timon
                    user: admin
                    namespace: default
                current-context: timon
                """.formatted(server, ca, token);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, yaml);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
