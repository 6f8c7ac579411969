package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxPairTest {

    @TempDir
    Path dir;

    @Test
    void anImagesFileFindsItsLabelsBesideItAndReadsWithoutThemToo() throws IOException {
        Path images = dir.resolve("shoes-images-idx3-ubyte");
        Path labels = dir.resolve("shoes-labels-idx1-ubyte");
        Files.write(images, IdxTestFiles.images(5, 3, 2));
        Files.write(labels, IdxTestFiles.labels(5));
        assertTrue(IdxPair.isIdxImages(images));
        assertFalse(IdxPair.isIdxImages(labels));
        assertEquals(labels, IdxPair.labelsBeside(images));
        Dataset d = IdxPair.read(images, IdxPair.labelsBeside(images));
        assertEquals(5, d.size());
        assertEquals(3, d.imageHeight());
        assertEquals(2, d.imageWidth());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, d.labels());
        assertFalse(IdxPair.read(images, null).hasLabels());
        DataFileException e = assertThrows(DataFileException.class,
                () -> IdxPair.read(dir.resolve("none"), null));
        assertEquals(dir.resolve("none") + ": no such file", e.getMessage());
    }
}
