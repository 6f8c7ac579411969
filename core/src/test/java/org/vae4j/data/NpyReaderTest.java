package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.tensor.Shape;

class NpyReaderTest {

    @TempDir
    Path dir;

    private static final double[] SIX = {0.5, -1.25, 3, 4e-3, 1e5, 0};

    @Test
    void float32AndFloat64AreReadAsTheyAreWithTrailingAxesAsExampleShape() throws IOException {
        for (String dtype : new String[] {"<f4", "<f8"}) {
            Path f = NpyTestFiles.npy(dir.resolve("x" + dtype.charAt(2) + ".npy"), dtype,
                    new int[] {3, 2}, SIX);
            Dataset d = NpyReader.read(f, null, null);
            assertEquals(3, d.size());
            assertEquals(Shape.of(2), d.exampleShape());
            assertFalse(d.hasLabels());
            float[] all = d.rows(0, 3);
            for (int i = 0; i < SIX.length; i++) {
                assertEquals((float) SIX[i], all[i], 0f, dtype + " element " + i);
            }
        }
    }

    @Test
    void uint8IsScaledToTheUnitIntervalAndImagesKeepTheirShape() throws IOException {
        Path f = NpyTestFiles.npy(dir.resolve("img.npy"), "|u1", new int[] {2, 2, 3},
                0, 51, 102, 153, 204, 255, 255, 0, 0, 0, 0, 1);
        Dataset d = NpyReader.read(f, null, null);
        assertEquals(Shape.of(2, 3), d.exampleShape());
        assertEquals(2, d.imageHeight());
        assertEquals(3, d.imageWidth());
        assertArrayEquals(new float[] {0, 0.2f, 0.4f, 0.6f, 0.8f, 1}, d.row(0), 1e-6f);
        Path rank4 = NpyTestFiles.npy(dir.resolve("chw.npy"), "<f4", new int[] {2, 3, 1, 2},
                new double[12]);
        assertEquals(Shape.of(3, 1, 2), NpyReader.read(rank4, null, null).exampleShape());
        Path rank1 = NpyTestFiles.npy(dir.resolve("flat.npy"), "<f8", new int[] {3}, 1, 2, 3);
        assertEquals(Shape.of(1), NpyReader.read(rank1, null, null).exampleShape());
    }

    @Test
    void labelsComeFromASecondNpyOfIntegers() throws IOException {
        Path x = NpyTestFiles.npy(dir.resolve("x.npy"), "<f4", new int[] {3, 2}, SIX);
        for (String dtype : new String[] {"|u1", "<i4", "<i8"}) {
            Path y = NpyTestFiles.npy(dir.resolve("y" + dtype.charAt(2) + ".npy"), dtype,
                    new int[] {3}, 2, 0, 1);
            Dataset d = NpyReader.read(x, null, y.toString());
            assertArrayEquals(new int[] {2, 0, 1}, d.labels(), dtype);
            assertEquals(3, d.numClasses());
        }
        Path wrongCount = NpyTestFiles.npy(dir.resolve("y2.npy"), "|u1", new int[] {2}, 0, 1);
        DataFileException e = assertThrows(DataFileException.class,
                () -> NpyReader.read(x, null, wrongCount.toString()));
        assertTrue(e.getMessage().startsWith(wrongCount + ": labels of shape [2]; expected"
                + " (3,)"), e.getMessage());
        assertThrows(DataFileException.class,
                () -> NpyReader.read(x, null, dir.resolve("none.npy").toString()));
    }

    @Test
    void npzMembersByNameCompressedOrStored() throws IOException {
        for (boolean compressed : new boolean[] {true, false}) {
            Map<String, byte[]> members = new LinkedHashMap<>();
            members.put("x", NpyTestFiles.npy("<f8", false, new int[] {3, 2}, SIX));
            members.put("y", NpyTestFiles.npy("<i8", false, new int[] {3}, 1, 1, 0));
            Path f = NpyTestFiles.npz(dir.resolve("d" + compressed + ".npz"), compressed,
                    members);
            Dataset d = NpyReader.read(f, "x", "y");
            assertEquals(Shape.of(2), d.exampleShape());
            assertArrayEquals(new int[] {1, 1, 0}, d.labels());
            assertEquals(1e5f, d.row(2)[0], 0f);
            // the only array besides the labels needs no name
            assertEquals(3, NpyReader.read(f, null, "y").size());
            DataFileException e = assertThrows(DataFileException.class,
                    () -> NpyReader.read(f, null, null));
            assertTrue(e.getMessage().endsWith("holds the arrays [x, y]; name the one to read"),
                    e.getMessage());
            e = assertThrows(DataFileException.class, () -> NpyReader.read(f, "z", null));
            assertEquals(f + ": has no array 'z'; it holds [x, y]", e.getMessage());
        }
    }

    @Test
    void unsupportedDtypesBigEndianAndFortranOrderAreNamed() throws IOException {
        Path half = dir.resolve("h.npy");
        Files.write(half, NpyTestFiles.npy("<f2", false, new int[] {2, 2}, 1, 2, 3, 4));
        DataFileException e = assertThrows(DataFileException.class,
                () -> NpyReader.read(half, null, null));
        assertTrue(e.getMessage().startsWith(half + ": element type '<f2'; expected uint8"),
                e.getMessage());
        Path big = dir.resolve("b.npy");
        Files.write(big, NpyTestFiles.npy(">f4", false, new int[] {2, 2}, 1, 2, 3, 4));
        e = assertThrows(DataFileException.class, () -> NpyReader.read(big, null, null));
        assertTrue(e.getMessage().contains("element type '>f4' (big-endian)"), e.getMessage());
        Path fortran = dir.resolve("f.npy");
        Files.write(fortran, NpyTestFiles.npy("<f4", true, new int[] {2, 2}, 1, 2, 3, 4));
        e = assertThrows(DataFileException.class, () -> NpyReader.read(fortran, null, null));
        assertTrue(e.getMessage().startsWith(fortran + ": array in Fortran (column-major)"
                + " order; expected C order"), e.getMessage());
    }

    @Test
    void nanAndInfinityAreRefusedNamingTheirIndex() throws IOException {
        Path nan = NpyTestFiles.npy(dir.resolve("n.npy"), "<f4", new int[] {2, 3},
                0, 1, 2, 3, Double.NaN, 5);
        DataFileException e = assertThrows(DataFileException.class,
                () -> NpyReader.read(nan, null, null));
        assertEquals(nan + ": element [1, 1] is NaN; expected finite values (no NaN or"
                + " infinity)", e.getMessage());
        Path inf = NpyTestFiles.npy(dir.resolve("i.npy"), "<f8", new int[] {2, 1},
                0, Double.NEGATIVE_INFINITY);
        e = assertThrows(DataFileException.class, () -> NpyReader.read(inf, null, null));
        assertTrue(e.getMessage().startsWith(inf + ": element [1, 0] is -Infinity"),
                e.getMessage());
    }

    @Test
    void truncatedFilesOneRowAndMissingPathsAreRefused() throws IOException {
        byte[] whole = NpyTestFiles.npy("<f4", false, new int[] {3, 2}, SIX);
        Path cut = dir.resolve("cut.npy");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 5));
        DataFileException e = assertThrows(DataFileException.class,
                () -> NpyReader.read(cut, null, null));
        assertTrue(e.getMessage().startsWith(cut + ": truncated: the header announces shape"
                + " [3, 2] of <f4 (24 bytes of data), but the file holds 19"), e.getMessage());
        Path one = NpyTestFiles.npy(dir.resolve("one.npy"), "<f4", new int[] {1, 2}, 1, 2);
        e = assertThrows(DataFileException.class, () -> NpyReader.read(one, null, null));
        assertEquals(one + ": holds 1 example; expected at least 2 (one to train on and one"
                + " to evaluate)", e.getMessage());
        Path none = dir.resolve("none.npy");
        e = assertThrows(DataFileException.class, () -> NpyReader.read(none, null, null));
        assertEquals(none + ": no such file", e.getMessage());
        Path text = dir.resolve("text.npy");
        Files.writeString(text, "hello");
        e = assertThrows(DataFileException.class, () -> NpyReader.read(text, null, null));
        assertTrue(e.getMessage().contains("not a NumPy .npy array"), e.getMessage());
    }
}
