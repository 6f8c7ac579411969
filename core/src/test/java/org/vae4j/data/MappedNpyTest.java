package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.data.NpyReader.Loading;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.TensorScope;

/**
 * A {@code .npy} file read from disk, memory-mapped, gives exactly the data set the in-memory
 * reader gives: the same values of every dtype, labels, shapes, and through a {@link DataLoader}
 * the same shuffled batches, however the file is cut into mapped segments.
 */
class MappedNpyTest {

    @TempDir
    Path dir;

    private static double[] values(int n, boolean pixels) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = pixels ? (i * 37) % 256 : Math.sin(i) * 100 + i * 1e-3;
        }
        return v;
    }

    @Test
    void mappedRowsEqualTheInMemoryRowsForEveryDtype() throws IOException {
        for (String dtype : new String[] {"|u1", "<f4", "<f8"}) {
            Path f = NpyTestFiles.npy(dir.resolve("x" + dtype.charAt(2) + ".npy"), dtype,
                    new int[] {37, 2, 3}, values(37 * 6, dtype.equals("|u1")));
            Dataset heap = NpyReader.read(f, null, null, Loading.HEAP);
            Dataset mapped = NpyReader.read(f, null, null, Loading.MAP);
            assertTrue(heap.inMemory());
            assertFalse(mapped.inMemory(), dtype);
            assertEquals(heap.size(), mapped.size());
            assertEquals(heap.exampleShape(), mapped.exampleShape());
            assertEquals(heap.imageHeight(), mapped.imageHeight());
            assertArrayEquals(heap.rows(0, 37), mapped.rows(0, 37), dtype);
            assertArrayEquals(heap.row(36), mapped.row(36), dtype);
            assertArrayEquals(heap.subset(5, 9).rows(1, 3), mapped.subset(5, 9).rows(1, 3));
            // a split's rows by index stay in the file, and read as the heap's copies do
            int[] pick = {30, 2, 17, 2, 35};
            Dataset picked = mapped.subset(1, 37).select(pick);
            assertFalse(picked.inMemory(), "a split of a mapped set stays mapped");
            assertArrayEquals(heap.subset(1, 37).select(pick).rows(0, 5), picked.rows(0, 5));
            assertArrayEquals(heap.row(18), picked.row(2));
        }
    }

    @Test
    void rowsAcrossSegmentBoundariesReadWhole() throws IOException {
        int rows = 23;
        int width = 5;
        double[] v = values(rows * width, false);
        Path f = NpyTestFiles.npy(dir.resolve("s.npy"), "<f4", new int[] {rows, width}, v);
        long offset = Files.size(f) - 4L * rows * width;
        // three rows (60 bytes) per mapped segment: eight segments, the last one short
        MappedRows m = new MappedRows(f, offset, "<f4", rows, width, 64);
        float[] all = new float[rows * width];
        m.copy(0, all, 0, all.length);
        float[] mid = new float[17];
        m.copy(13, mid, 0, 17);
        for (int i = 0; i < all.length; i++) {
            assertEquals((float) v[i], all[i], 0f, "value " + i);
        }
        assertArrayEquals(Arrays.copyOfRange(all, 13, 30), mid);
    }

    @Test
    void aLoaderServesTheSameShuffledBatchesFromTheFileAsFromTheHeap() throws IOException {
        Path x = NpyTestFiles.npy(dir.resolve("img.npy"), "|u1", new int[] {50, 1, 4, 4},
                values(50 * 16, true));
        double[] y = new double[50];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 3;
        }
        Path labels = NpyTestFiles.npy(dir.resolve("y.npy"), "|u1", new int[] {50}, y);
        Dataset heap = NpyReader.read(x, null, labels.toString(), Loading.HEAP);
        Dataset mapped = NpyReader.read(x, null, labels.toString(), Loading.MAP);
        assertArrayEquals(heap.labels(), mapped.labels());
        assertEquals(Shape.of(1, 4, 4), mapped.exampleShape());
        Backend backend = new ReferenceBackend();
        try (DataLoader a = DataLoader.builder(heap, backend).setBatchSize(16).optShuffle(true)
                .optSeed(3).build();
                DataLoader b = DataLoader.builder(mapped, backend).setBatchSize(16)
                        .optShuffle(true).optSeed(3).build();
                TensorScope scope = backend.newScope()) {
            for (int epoch = 0; epoch < 2; epoch++) {
                int n = 0;
                for (int i = 0; i < a.batchesPerEpoch(); i++) {
                    Batch p = a.batch(epoch, i);
                    Batch q = b.batch(epoch, i);
                    assertEquals(p.x().shape(), q.x().shape());
                    assertArrayEquals(p.x().toArray(), q.x().toArray(), "epoch " + epoch
                            + " batch " + i);
                    assertArrayEquals(p.labels(), q.labels());
                    n += q.x().shape().dim(0);
                }
                assertEquals(50, n);
            }
        }
    }

    @Test
    void aMappedFileIsCheckedWhenOpened() throws IOException {
        double[] v = values(12, false);
        v[7] = Double.NaN;
        Path nan = NpyTestFiles.npy(dir.resolve("nan.npy"), "<f8", new int[] {4, 3}, v);
        DataFileException e = assertThrows(DataFileException.class,
                () -> NpyReader.read(nan, null, null, Loading.MAP));
        assertTrue(e.getMessage().contains("element [2, 1] is NaN"), e.getMessage());

        Path whole = NpyTestFiles.npy(dir.resolve("t.npy"), "<f4", new int[] {4, 3},
                values(12, false));
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.npy"), Arrays.copyOf(bytes, bytes.length - 5));
        e = assertThrows(DataFileException.class,
                () -> NpyReader.read(cut, null, null, Loading.MAP));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("cut.npy"), e.getMessage());

        Path npz = dir.resolve("a.npz");
        NpyTestFiles.npz(npz, true, java.util.Map.of("x", NpyTestFiles.npy("<f4", false,
                new int[] {4, 3}, values(12, false))));
        e = assertThrows(DataFileException.class,
                () -> NpyReader.read(npz, "x", null, Loading.MAP));
        assertTrue(e.getMessage().contains("cannot be memory-mapped"), e.getMessage());
    }
}
