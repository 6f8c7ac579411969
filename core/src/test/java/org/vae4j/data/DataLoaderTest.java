package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.TensorScope;
import org.vae4j.tensor.ReferenceBackend;

class DataLoaderTest {

    private final Backend backend = new ReferenceBackend();

    /** {@code n} rows of 3 features; row i is (i, i + 0.5, -i) and has label i % 4. */
    private static Dataset rows(int n) {
        float[] x = new float[n * 3];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[3 * i] = i;
            x[3 * i + 1] = i + 0.5f;
            x[3 * i + 2] = -i;
            y[i] = i % 4;
        }
        return Dataset.of("rows", x, 3, y, 4);
    }

    private DataLoader loader(Dataset d, int batch, boolean shuffle, long seed, boolean dropLast) {
        return DataLoader.builder(d, backend).setBatchSize(batch).optShuffle(shuffle)
                .optSeed(seed).optDropLast(dropLast).build();
    }

    /** The dataset row indices of each batch of an epoch, read back from the tensors. */
    private static List<int[]> epochRows(DataLoader loader, int epoch) {
        List<int[]> out = new ArrayList<>();
        for (Batch b : loader.epoch(epoch)) {
            float[] v = b.x().toArray();
            int[] rows = new int[b.size()];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = (int) v[3 * i];
            }
            out.add(rows);
        }
        return out;
    }

    @Test
    void everyExampleAppearsExactlyOncePerEpochAndTheLastPartialBatchIsKept() {
        try (DataLoader l = loader(rows(10), 3, true, 7, false)) {
            assertEquals(4, l.batchesPerEpoch());
            assertEquals(10, l.examplesPerEpoch());
            List<int[]> batches = epochRows(l, 0);
            assertEquals(List.of(3, 3, 3, 1), batches.stream().map(b -> b.length).toList());
            int[] all = batches.stream().flatMapToInt(Arrays::stream).sorted().toArray();
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, all);
        }
    }

    @Test
    void theShuffledOrderWithoutTheRowsIsTheLoadersOrder() {
        try (DataLoader l = loader(rows(10), 3, true, 7, false)) {
            for (int epoch = 0; epoch < 3; epoch++) {
                assertArrayEquals(l.order(epoch), DataLoader.shuffledOrder(10, 7, epoch));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> DataLoader.shuffledOrder(10, 7, -1));
    }

    @Test
    void dropLastSkipsThePartialBatch() {
        try (DataLoader l = loader(rows(10), 3, false, 0, true)) {
            assertEquals(3, l.batchesPerEpoch());
            assertEquals(9, l.examplesPerEpoch());
            assertEquals(List.of(3, 3, 3), epochRows(l, 0).stream().map(b -> b.length).toList());
        }
    }

    @Test
    void batchesHoldTheDatasetRowsAndLabelsInTheEpochOrder() {
        Dataset d = rows(11);
        try (DataLoader l = loader(d, 4, true, 3, false)) {
            int[] order = l.order(2);
            int k = 0;
            for (Batch b : l.epoch(2)) {
                assertEquals(Shape.of(b.size(), 3), b.x().shape());
                float[] v = b.x().toArray();
                for (int i = 0; i < b.size(); i++, k++) {
                    assertArrayEquals(d.row(order[k]), Arrays.copyOfRange(v, 3 * i, 3 * i + 3));
                    assertEquals(d.label(order[k]), b.labels()[i]);
                }
            }
            assertEquals(11, k);
        }
    }

    @Test
    void shuffleIsAFunctionOfSeedAndEpochOnly() {
        Dataset d = rows(50);
        try (DataLoader a = loader(d, 8, true, 42, false);
                DataLoader b = loader(d, 8, true, 42, false);
                DataLoader other = loader(d, 8, true, 43, false)) {
            // b jumps straight to epoch 3, as a run resumed there would
            int[] resumed = b.order(3);
            a.order(0);
            a.order(1);
            assertArrayEquals(a.order(3), resumed);
            assertArrayEquals(flatten(epochRows(a, 3)), flatten(epochRows(b, 3)));
            assertFalse(Arrays.equals(a.order(3), a.order(4)), "epochs must differ");
            assertFalse(Arrays.equals(a.order(3), other.order(3)), "seeds must differ");
            assertFalse(Arrays.equals(a.order(0), identity(50)), "shuffled order is not identity");
        }
    }

    @Test
    void withoutShuffleTheOrderIsTheDatasetOrder() {
        try (DataLoader l = loader(rows(7), 2, false, 99, false)) {
            assertArrayEquals(identity(7), l.order(0));
            assertArrayEquals(identity(7), l.order(5));
            assertArrayEquals(identity(7), flatten(epochRows(l, 1)));
        }
    }

    @Test
    void theUploadIsFreedOnCloseAndBatchesByTheirScope() {
        long before = backend.liveTensors();
        DataLoader l = loader(rows(9), 4, true, 1, false);
        assertEquals(before + 1, backend.liveTensors());
        try (TensorScope scope = backend.newScope()) {
            for (Batch b : l.epoch(0)) {
                assertEquals(b.size(), b.labels().length);
            }
        }
        assertEquals(before + 1, backend.liveTensors());
        l.close();
        l.close();
        assertEquals(before, backend.liveTensors());
        assertThrows(IllegalStateException.class, () -> l.batch(0, 0));
    }

    @Test
    void aLoaderBuiltInsideAScopeOutlivesIt() {
        DataLoader l;
        try (TensorScope scope = backend.newScope()) {
            l = loader(rows(5), 2, false, 0, false);
        }
        try (TensorScope scope = backend.newScope(); l) {
            assertArrayEquals(new float[] {4, 4.5f, -4}, l.batch(0, 2).x().toArray());
        }
    }

    @Test
    void unlabelledDataGivesBatchesWithoutLabels() {
        Dataset d = Dataset.unlabelled("u", new float[] {1, 2, 3, 4}, 2);
        try (DataLoader l = DataLoader.builder(d, backend).setBatchSize(5).build()) {
            Batch b = l.batch(0, 0);
            assertNull(b.labels());
            assertFalse(b.hasLabels());
            assertEquals(2, b.size());
        }
    }

    @Test
    void badArgumentsAreRejectedWithClearMessages() {
        Dataset d = rows(5);
        IllegalStateException noSize = assertThrows(IllegalStateException.class,
                () -> DataLoader.builder(d, backend).build());
        assertTrue(noSize.getMessage().contains("setBatchSize"), noSize.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(d, backend).setBatchSize(0));
        assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(d.take(0), backend).setBatchSize(2).build());
        try (DataLoader l = loader(d, 2, false, 0, false)) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> l.batch(0, 3));
            assertTrue(e.getMessage().contains("outside 0..2"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> l.epoch(-1));
        }
    }

    private static int[] identity(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }

    private static int[] flatten(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }
}
