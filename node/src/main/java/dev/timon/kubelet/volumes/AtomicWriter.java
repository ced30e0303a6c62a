package dev.timon.kubelet.volumes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes a volume's files the way upstream's AtomicWriter does, so a running container sees either the old or
 * the new set: the payload goes to a fresh {@code ..<time>} folder, {@code ..data} is swapped to it by rename,
 * and each top-level name is a symlink through {@code ..data}.
 */
final class AtomicWriter {
    private static final String DATA = "..data";

    record File(byte[] content, int mode) {
    }

    private AtomicWriter() {
    }

    static void write(Path dir, Map<String, File> payload) throws IOException {
        Files.createDirectories(dir);
        if (unchanged(dir, payload)) {
            return;
        }
        Path fresh = Files.createTempDirectory(dir, ".." + System.nanoTime() + ".");
        for (var entry : payload.entrySet()) {
            Path file = fresh.resolve(entry.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, entry.getValue().content());
            Files.setPosixFilePermissions(file, permissions(entry.getValue().mode()));
        }
        Files.setPosixFilePermissions(fresh, permissions(0755));
        Path previous = Files.isSymbolicLink(dir.resolve(DATA)) ? dir.resolve(Files.readSymbolicLink(dir.resolve(DATA))) : null;
        Path link = dir.resolve("..data_tmp");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, fresh.getFileName());
        Files.move(link, dir.resolve(DATA), java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        var topLevel = payload.keySet().stream().map(k -> k.split("/", 2)[0]).collect(java.util.stream.Collectors.toSet());
        for (String name : topLevel) {
            Path user = dir.resolve(name);
            if (!Files.isSymbolicLink(user)) {
                Files.createSymbolicLink(user, Path.of(DATA, name));
            }
        }
        try (var children = Files.list(dir)) {
            for (Path child : children.toList()) {
                String name = child.getFileName().toString();
                if (Files.isSymbolicLink(child) && !name.startsWith("..") && !topLevel.contains(name)) {
                    Files.delete(child);
                }
            }
        }
        if (previous != null && !previous.equals(fresh)) {
            VolumeManager.deleteTree(previous);
        }
    }

    private static boolean unchanged(Path dir, Map<String, File> payload) throws IOException {
        Path data = dir.resolve(DATA);
        if (!Files.isDirectory(data)) {
            return false;
        }
        try (var files = Files.walk(data.toRealPath())) {
            if (files.filter(Files::isRegularFile).count() != payload.size()) {
                return false;
            }
        }
        for (var entry : payload.entrySet()) {
            Path file = data.resolve(entry.getKey());
            if (!Files.isRegularFile(file) || !Arrays.equals(Files.readAllBytes(file), entry.getValue().content())
                    || !Files.getPosixFilePermissions(file).equals(permissions(entry.getValue().mode()))) {
                return false;
            }
        }
        return true;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        var set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }
}
