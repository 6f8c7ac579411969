package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitTest {

    @Test
    void theSameSeedGivesTheSameSplitAndTheSidesAreDisjointAndComplete() {
        Split a = Split.of("t", 1000, 0.1, 7);
        Split b = Split.of("t", 1000, 0.1, 7);
        assertArrayEquals(a.train(), b.train());
        assertArrayEquals(a.test(), b.test());
        assertEquals(100, a.test().length);
        assertEquals(900, a.train().length);
        int[] both = IntStream.concat(Arrays.stream(a.train()), Arrays.stream(a.test()))
                .sorted().toArray();
        assertArrayEquals(IntStream.range(0, 1000).toArray(), both);
        assertTrue(Arrays.stream(a.test()).noneMatch(t -> Arrays.binarySearch(a.train(), t) >= 0));
        assertNotEquals(Arrays.toString(a.test()),
                Arrays.toString(Split.of("t", 1000, 0.1, 8).test()));
    }

    @Test
    void anEmptySideIsAClearError() {
        var e = assertThrows(IllegalArgumentException.class, () -> Split.of("x.csv", 1, 0.1, 0));
        assertTrue(e.getMessage().contains("x.csv: 1 row cannot be split"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Split.of("x.csv", 2, 0.9, 0));
        assertEquals(1, Split.of("x.csv", 4, 0.1, 0).test().length);
        assertThrows(IllegalArgumentException.class, () -> Split.of("x.csv", 10, 1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> Split.of("x.csv", 10, 0.0, 0));
    }

    @Test
    void splittingADataSetKeepsRowsWithTheirLabels() {
        float[] v = new float[20];
        int[] labels = new int[10];
        for (int i = 0; i < 10; i++) {
            v[2 * i] = i;
            v[2 * i + 1] = -i;
            labels[i] = i % 3;
        }
        Dataset d = Dataset.of("d", v, 2, labels, 3);
        Split s = Split.of("d", 10, 0.3, 1);
        Dataset test = s.testOf(d);
        assertEquals(3, test.size());
        for (int k = 0; k < 3; k++) {
            int r = s.test()[k];
            assertArrayEquals(new float[] {r, -r}, test.row(k));
            assertEquals(r % 3, test.label(k));
        }
    }
}
