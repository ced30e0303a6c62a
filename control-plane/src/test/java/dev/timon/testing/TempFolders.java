package dev.timon.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Removes the temporary folders tests run clusters in (etcd data, containerd's root, images: about 100 MB for a
 * node cluster), so that repeated test runs do not fill the machine's /tmp.
 */
public final class TempFolders {

    private TempFolders() {
    }

    /**
     * Deletes {@code dir} and everything below it, without following symbolic links. A folder that still has
     * something mounted below it (a pod's volume that a failed teardown left behind) is left whole: deleting through a
     * bind mount would delete the files of whatever it points at.
     */
    public static void delete(Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.exists(root)) {
            return;
        }
        List<Path> mounted = mountPointsBelow(root);
        if (!mounted.isEmpty()) {
            System.err.println("leaving " + root + " in place: still mounted below it: " + mounted);
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static List<Path> mountPointsBelow(Path root) throws IOException {
        Path mountInfo = Path.of("/proc/self/mountinfo");
        if (!Files.isReadable(mountInfo)) {
            return List.of();
        }
        // Field 5 is the mount point, with spaces and other special characters octal-escaped (\040).
        return Files.readAllLines(mountInfo).stream()
                .map(line -> Path.of(line.split(" ")[4].replace("\\040", " ")))
                .filter(point -> point.startsWith(root))
                .toList();
    }
}
