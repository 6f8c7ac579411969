package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vae4j.random.Rng;

class DatasetTest {

    private static Dataset sixRows() {
        float[] x = new float[12];
        for (int i = 0; i < x.length; i++) {
            x[i] = i / 12f;
        }
        return Dataset.of("six", x, 2, new int[] {0, 1, 2, 0, 1, 2}, 3);
    }

    @Test
    void subsetAndTakeSeeTheRightRowsAndLabels() {
        Dataset d = sixRows();
        Dataset s = d.subset(2, 5);
        assertEquals(3, s.size());
        assertArrayEquals(d.row(2), s.row(0));
        assertArrayEquals(new int[] {2, 0, 1}, s.labels());
        assertArrayEquals(d.rows(3, 5), s.rows(1, 3));
        Dataset nested = s.subset(1, 3);
        assertArrayEquals(d.row(4), nested.row(1));
        assertEquals(2, d.take(2).size());
        assertEquals(6, d.take(100).size());
        assertArrayEquals(new int[] {1, 1, 1}, s.labelCounts());
    }

    @Test
    void inputArraysAreCopied() {
        float[] x = {1, 2};
        int[] y = {0};
        Dataset d = Dataset.of("one", x, 2, y, 1);
        x[0] = 9;
        y[0] = 5;
        assertEquals(1f, d.row(0)[0]);
        assertEquals(0, d.label(0));
    }

    @Test
    void labelsOutsideTheClassesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of("bad", new float[4], 2, new int[] {0, 3}, 3));
        assertTrue(e.getMessage().contains("label 3 of row 1 is outside 0..2"), e.getMessage());
    }

    @Test
    void rowsMustBeWholeAndLabelsOnePerRow() {
        assertThrows(IllegalArgumentException.class,
                () -> Dataset.unlabelled("ragged", new float[5], 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of("short", new float[6], 2, new int[] {0, 0}, 1));
        assertTrue(e.getMessage().contains("2 labels for 3 rows"), e.getMessage());
    }

    @Test
    void imageShapeMustMatchTheRowWidth() {
        Dataset d = Dataset.unlabelled("img", new float[12], 6).withImageShape(2, 3);
        assertTrue(d.hasImageShape());
        assertEquals(2, d.imageHeight());
        assertEquals(3, d.imageWidth());
        assertTrue(d.subset(0, 1).hasImageShape());
        assertThrows(IllegalArgumentException.class, () -> d.withImageShape(4, 4));
    }

    @Test
    void unlabelledDataHasNoLabelsAndSaysSo() {
        Dataset d = Dataset.unlabelled("u", new float[4], 2);
        assertFalse(d.hasLabels());
        assertEquals(0, d.numClasses());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> d.label(0));
        assertTrue(e.getMessage().contains("u has no labels"), e.getMessage());
    }

    @Test
    void outOfRangeRowsAreRejected() {
        Dataset d = sixRows();
        assertThrows(IndexOutOfBoundsException.class, () -> d.row(6));
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(4, 7));
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(3, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(2, 4).row(2));
    }

    @Test
    void binarizeGivesZerosAndOnesWithTheValuesAsProbabilities() {
        float[] x = new float[20000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 2 == 0) ? 0.25f : (i % 4 == 1 ? 0f : 1f);
        }
        Dataset d = Dataset.of("p", x, 4, new int[5000], 1).withImageShape(2, 2);
        Dataset b = Datasets.binarize(d, new Rng(5));
        float[] v = b.rows(0, b.size());
        int ones = 0;
        for (int i = 0; i < v.length; i++) {
            assertTrue(v[i] == 0f || v[i] == 1f);
            if (i % 4 == 1) {
                assertEquals(0f, v[i]);
            } else if (i % 4 == 3) {
                assertEquals(1f, v[i]);
            } else if (v[i] == 1f) {
                ones++;
            }
        }
        // 10000 draws of p = 0.25: mean 2500, std ~43
        assertEquals(2500, ones, 250);
        assertEquals(2, b.imageWidth());
        assertArrayEquals(d.labels(), b.labels());
        assertArrayEquals(v, Datasets.binarize(d, new Rng(5)).rows(0, b.size()));
    }

    @Test
    void binarizeRejectsValuesOutsideTheUnitInterval() {
        Dataset d = Dataset.unlabelled("big", new float[] {0.5f, 2f}, 2);
        assertThrows(IllegalArgumentException.class, () -> Datasets.binarize(d, new Rng(1)));
    }

    @Test
    void gaussianMixtureIsSeededAndClustersAroundTheCircle() {
        Dataset g = GaussianMixture2D.generate(4000, 8, 2.0, 0.05, new Rng(11));
        assertEquals(4000, g.size());
        assertEquals(2, g.features());
        assertEquals(8, g.numClasses());
        double[] sx = new double[8];
        double[] sy = new double[8];
        int[] counts = g.labelCounts();
        for (int i = 0; i < g.size(); i++) {
            float[] p = g.row(i);
            sx[g.label(i)] += p[0];
            sy[g.label(i)] += p[1];
        }
        for (int c = 0; c < 8; c++) {
            assertTrue(counts[c] > 350 && counts[c] < 650, "component " + c + ": " + counts[c]);
            assertEquals(2.0 * Math.cos(2 * Math.PI * c / 8), sx[c] / counts[c], 0.02);
            assertEquals(2.0 * Math.sin(2 * Math.PI * c / 8), sy[c] / counts[c], 0.02);
        }
        assertArrayEquals(g.rows(0, 100),
                GaussianMixture2D.generate(4000, 8, 2.0, 0.05, new Rng(11)).rows(0, 100));
    }
}
