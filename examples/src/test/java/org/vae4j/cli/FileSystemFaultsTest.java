package org.vae4j.cli;

import static org.vae4j.cli.Folders.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.Cli.Run;
import org.vae4j.train.Checkpoint;

/**
 * A full disk and a read-only file system, made real with a small tmpfs (issue 19): every
 * write error names the run's path and what to do, and leaves no half-written checkpoint, no
 * sibling and no changed config.json. Needs {@code mount} (root); skipped, saying why, where
 * mounting is refused.
 */
class FileSystemFaultsTest {

    @TempDir
    Path tmp;

    private Path mounted;

    /** A fresh tmpfs of {@code size} at {@code tmp/disk}; the test is skipped when refused. */
    private Path mount(String options) throws Exception {
        Path point = Files.createDirectories(tmp.resolve("disk"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs",
                point.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        int status = p.waitFor();
        Assumptions.assumeTrue(status == 0, () -> "skipped: 'mount -t tmpfs' was refused"
                + " (status " + status + ": " + out + "); a tiny tmpfs needs root");
        mounted = point;
        return point;
    }

    private static void remount(Path point, String options) throws Exception {
        Process p = new ProcessBuilder("mount", "-o", "remount," + options, point.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "remount " + options + ": " + out);
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) {
            new ProcessBuilder("umount", mounted.toString()).inheritIO().start().waitFor();
        }
    }

    /** Fills {@code point} until only {@code free} bytes are left. */
    private static Path fill(Path point, long free) throws IOException {
        Path filler = point.resolve("filler");
        long usable = Files.getFileStore(point).getUsableSpace();
        try (RandomAccessFile f = new RandomAccessFile(filler.toFile(), "rw")) {
            byte[] block = new byte[1 << 16];
            for (long left = usable - free; left > 0; left -= block.length) {
                f.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return filler;
    }

    @Test
    void aNewRunOnAFullDiskLeavesNothingAndNamesThePath() throws Exception {
        Path disk = mount("size=4m");
        fill(disk, 100 * 1024);
        Path dir = disk.resolve("run");
        Run r = Cli.quickTrain(dir);
        Cli.assertFailsWith(r, dir.resolve("checkpoints").resolve("step-00000004").toString(),
                "No space left on device", "free some space", "no folder was created");
        assertFalse(r.err().contains(".new-"), "no temporary name in: " + r.err());
        assertEquals(List.of("filler"), names(disk), "no half-written run, no sibling");
    }

    @Test
    void aResumeOnAFullDiskKeepsItsCheckpointAndConfig() throws Exception {
        Path trained = tmp.resolve("trained");
        Cli.assertOk(Cli.quickTrain(trained));
        Path disk = mount("size=4m");
        Path dir = disk.resolve("run");
        copy(trained, dir);
        byte[] config = Files.readAllBytes(dir.resolve("config.json"));
        Path filler = fill(disk, 100 * 1024);

        Run r = Cli.run("resume", "--run", dir.toString(), "--epochs", "2");
        Cli.assertFailsWith(r, dir.resolve("checkpoints").resolve("step-00000008").toString(),
                "No space left on device", "free some space", dir + " is unchanged");
        assertArrayEquals(config, Files.readAllBytes(dir.resolve("config.json")));
        assertEquals(List.of("step-00000004"), names(dir.resolve("checkpoints")),
                "no step-N.partial left");

        Files.delete(filler);
        Cli.assertOk(Cli.run("resume", "--run", dir.toString(), "--epochs", "2"));
        assertEquals(2, RunFolder.open(dir).config().epochs());
    }

    @Test
    void aReadOnlyRunCanBeUsedButNotChanged() throws Exception {
        Path disk = mount("size=8m");
        Path dir = disk.resolve("run");
        Cli.assertOk(Cli.quickTrain(dir));
        byte[] config = Files.readAllBytes(dir.resolve("config.json"));
        remount(disk, "ro");

        Cli.assertOk(Cli.run("eval", "--run", dir.toString(), "--limit", "100"));
        Cli.assertFailsWith(Cli.run("resume", "--run", dir.toString(), "--epochs", "2"),
                dir.toString(), "Read-only file system");
        assertArrayEquals(config, Files.readAllBytes(dir.resolve("config.json")));
        Cli.assertFailsWith(Cli.quickTrain(dir, "--force"), "beside " + dir,
                "Read-only file system", "the run in " + dir + " is untouched");
        Cli.assertFailsWith(Cli.quickTrain(disk.resolve("new")), "cannot create the output"
                + " folder " + disk.resolve("new"), "Read-only file system");
        Cli.assertFailsWith(Cli.run("sample", "--run", dir.toString(), "--backend", "ejml"),
                dir.resolve("sample.png").toString(), "Read-only file system");
        assertTrue(Checkpoint.latest(dir).isPresent());
    }
}
