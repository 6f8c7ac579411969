package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    @Test
    void rawImagesRoundTrip() throws IOException {
        byte[] content = IdxTestFiles.images(3, 4, 5);
        IdxArray a = IdxReader.readImages(IdxTestFiles.write(dir.resolve("img"), content));
        assertArrayEquals(new int[] {3, 4, 5}, a.dims());
        assertArrayEquals(Arrays.copyOfRange(content, 16, content.length), a.data());
    }

    @Test
    void gzippedFilesAreRecognisedByTheirMagicWhateverTheirName() throws IOException {
        byte[] content = IdxTestFiles.labels(12);
        Path named = IdxTestFiles.write(dir.resolve("labels.gz"), IdxTestFiles.gzip(content));
        Path unnamed = IdxTestFiles.write(dir.resolve("labels-no-suffix"),
                IdxTestFiles.gzip(content));
        for (Path p : new Path[] {named, unnamed}) {
            IdxArray a = IdxReader.readLabels(p);
            assertArrayEquals(new int[] {12}, a.dims());
            assertEquals(11 % 10, a.data()[11]);
        }
    }

    @Test
    void wrongMagicNumberNamesFileExpectedAndFound() throws IOException {
        Path labels = IdxTestFiles.write(dir.resolve("labels"), IdxTestFiles.labels(4));
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> IdxReader.readImages(labels));
        assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("expected magic number 0x00000803"), e.getMessage());
        assertTrue(e.getMessage().contains("found 0x00000801"), e.getMessage());
        assertEquals(labels, e.file());
    }

    @Test
    void notAnIdxFileAtAllIsRejected() throws IOException {
        Path text = IdxTestFiles.write(dir.resolve("readme"), "hello, world".getBytes());
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> IdxReader.readLabels(text));
        assertTrue(e.getMessage().contains("not an IDX header"), e.getMessage());
    }

    @Test
    void truncatedDataIsReportedWithExpectedAndFoundLengths() throws IOException {
        byte[] content = IdxTestFiles.images(3, 4, 5);
        Path cut = IdxTestFiles.write(dir.resolve("cut"),
                Arrays.copyOf(content, content.length - 7));
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> IdxReader.readImages(cut));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("3x4x5"), e.getMessage());
        assertTrue(e.getMessage().contains("60 data bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("found only 53"), e.getMessage());
    }

    @Test
    void truncatedHeaderIsReported() throws IOException {
        Path cut = IdxTestFiles.write(dir.resolve("cut"),
                Arrays.copyOf(IdxTestFiles.images(1, 2, 2), 10));
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> IdxReader.readImages(cut));
        assertTrue(e.getMessage().contains("16-byte IDX header, found only 10"), e.getMessage());
    }

    @Test
    void trailingBytesAreAnError() throws IOException {
        byte[] content = IdxTestFiles.labels(5);
        Path padded = IdxTestFiles.write(dir.resolve("padded"),
                Arrays.copyOf(content, content.length + 3));
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> IdxReader.readLabels(padded));
        assertTrue(e.getMessage().contains("3 unexpected trailing bytes"), e.getMessage());
    }

    @Test
    void truncatedGzipIsReportedAsCorrupt() throws IOException {
        byte[] gz = IdxTestFiles.gzip(IdxTestFiles.images(20, 8, 8));
        Path cut = IdxTestFiles.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> IdxReader.readImages(cut));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void emptyArraysAreValid() throws IOException {
        Path empty = IdxTestFiles.write(dir.resolve("empty"), IdxTestFiles.labels(0));
        assertEquals(0, IdxReader.readLabels(empty).data().length);
    }
}
