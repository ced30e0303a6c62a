package dev.timon.kubelet.volumes;

import dev.timon.kubelet.env.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** hostPath volume types: the *OrCreate types create, the others check what is there. */
final class HostPaths {
    private HostPaths() {
    }

    static Path prepare(Path path, String type) throws IOException, ConfigException {
        switch (type == null ? "" : type) {
            case "DirectoryOrCreate" -> Files.createDirectories(path);
            case "FileOrCreate" -> {
                Files.createDirectories(path.getParent());
                if (!Files.exists(path)) {
                    Files.createFile(path);
                }
            }
            case "Directory" -> require(Files.isDirectory(path), path, "directory");
            case "File" -> require(Files.isRegularFile(path), path, "file");
            case "Socket", "CharDevice", "BlockDevice" -> require(Files.exists(path), path, type);
            default -> {
                // "" (unset): no check, as upstream.
            }
        }
        return path;
    }

    private static void require(boolean ok, Path path, String what) throws ConfigException {
        if (!ok) {
            throw new ConfigException("hostPath type check failed: " + path + " is not a " + what);
        }
    }
}
