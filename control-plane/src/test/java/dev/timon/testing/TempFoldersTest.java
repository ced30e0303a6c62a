package dev.timon.testing;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TempFoldersTest {

    @Test
    void deletesTheTreeButNotWhatItsLinksPointAt() throws Exception {
        Path outside = Files.createTempFile("timon-outside", ".txt");
        Path dir = Files.createTempDirectory("timon-temp-folders");
        try {
            Files.createDirectories(dir.resolve("etcd/member/wal"));
            Files.writeString(dir.resolve("etcd/member/wal/0.wal"), "data");
            Files.createSymbolicLink(dir.resolve("link"), outside);
            Files.createSymbolicLink(dir.resolve("dir-link"), outside.getParent());

            TempFolders.delete(dir);

            assertFalse(Files.exists(dir));
            assertTrue(Files.exists(outside), "a symbolic link's target is not the folder's to delete");
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void leavesAFolderWithAMountBelowIt() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting needs root");
        Path dir = Files.createTempDirectory("timon-temp-folders");
        Path mountPoint = Files.createDirectories(dir.resolve("pods/volume"));
        assertEquals(0, new ProcessBuilder("mount", "-t", "tmpfs", "tmpfs", mountPoint.toString()).start().waitFor());
        try {
            Files.writeString(mountPoint.resolve("kept.txt"), "data");

            TempFolders.delete(dir);

            assertTrue(Files.exists(mountPoint.resolve("kept.txt")));
        } finally {
            assertEquals(0, new ProcessBuilder("umount", mountPoint.toString()).start().waitFor());
            TempFolders.delete(dir);
        }
        assertFalse(Files.exists(dir));
    }
}
