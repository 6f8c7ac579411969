package org.vae4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vae4j.data.Dataset;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.ReferenceBackend;

class PcaTest {

    private final Backend backend = new ReferenceBackend();

    /** Orthonormal directions in 3-D: u1 = (1, 1, 0)/√2, u2 = (1, −1, 0)/√2, u3 = (0, 0, 1). */
    private static final double S = Math.sqrt(0.5);
    private static final double[][] U = {{S, S, 0}, {S, -S, 0}, {0, 0, 1}};

    /**
     * Points centre + a·3·u1 + b·1·u2 + c·0.5·u3 for every sign pattern (a, b, c) in {±1}³, so
     * the sample covariance (n − 1 = 7) is exactly diag(9, 1, 0.25)·8/7 in the basis U.
     */
    private static Dataset knownCloud() {
        float[] centre = {2, -1, 5};
        float[] rows = new float[8 * 3];
        int i = 0;
        for (int a = -1; a <= 1; a += 2) {
            for (int b = -1; b <= 1; b += 2) {
                for (int c = -1; c <= 1; c += 2) {
                    for (int j = 0; j < 3; j++) {
                        rows[i * 3 + j] = (float) (centre[j] + a * 3 * U[0][j] + b * U[1][j]
                                + c * 0.5 * U[2][j]);
                    }
                    i++;
                }
            }
        }
        return Dataset.unlabelled("cloud", rows, 3);
    }

    @Test
    void findsTheKnownPrincipalComponentsAndVariances() {
        Pca pca = Pca.fit(knownCloud(), 3, backend);
        assertArrayEquals(new float[] {2, -1, 5}, pca.mean(), 1e-5f);
        assertArrayEquals(new double[] {9 * 8 / 7.0, 8 / 7.0, 0.25 * 8 / 7.0},
                pca.explainedVariance(), 1e-4);
        for (int c = 0; c < 3; c++) {
            float[] v = pca.component(c);
            double dot = 0;
            for (int j = 0; j < 3; j++) {
                dot += v[j] * U[c][j];
            }
            assertEquals(1.0, Math.abs(dot), 1e-5, "component " + c + " is u" + (c + 1));
        }
        assertEquals(1.0, pca.explainedVarianceRatio(), 1e-6);
    }

    @Test
    void componentSignsAreFixedByTheLargestEntry() {
        Pca pca = Pca.fit(knownCloud(), 3, backend);
        for (int c = 0; c < 3; c++) {
            float[] v = pca.component(c);
            int largest = 0;
            for (int j = 1; j < v.length; j++) {
                largest = Math.abs(v[j]) > Math.abs(v[largest]) ? j : largest;
            }
            assertTrue(v[largest] > 0, java.util.Arrays.toString(v));
        }
    }

    @Test
    void reconstructionErrorIsTheVarianceLeftOut() {
        Dataset cloud = knownCloud();
        // Keeping u1 leaves b·u2 + c·0.5·u3 for every point: squared norm 1 + 0.25.
        Pca.Error one = Pca.fit(cloud, 1, backend).reconstructionError(cloud, backend);
        assertEquals(1.25, one.perExample(), 1e-5);
        assertEquals(1.25 / 3, one.perValue(), 1e-5);
        assertEquals(8, one.examples());
        Pca.Error two = Pca.fit(cloud, 2, backend).reconstructionError(cloud, backend);
        assertEquals(0.25, two.perExample(), 1e-5);
        Pca.Error all = Pca.fit(cloud, 3, backend).reconstructionError(cloud, backend);
        assertEquals(0, all.perExample(), 1e-5);
    }

    @Test
    void eachRowsErrorIsItsDistanceToTheSpannedSubspace() {
        Dataset cloud = knownCloud();
        Pca pca = Pca.fit(cloud, 1, backend);
        float[] perRow = pca.rowErrors(cloud, backend);
        assertEquals(8, perRow.length);
        for (float v : perRow) {
            assertEquals(1.25, v, 1e-5, "every point is b·u2 + c·0.5·u3 away from u1's line");
        }
        // a point on the line scores 0; one 2 units off it along u3 scores 4
        Dataset probe = Dataset.unlabelled("probe", new float[] {
            (float) (2 + 5 * S), (float) (-1 + 5 * S), 5,
            2, -1, 7}, 3);
        assertArrayEquals(new float[] {0, 4}, pca.rowErrors(probe, backend), 1e-4f);
    }

    @Test
    void transformAndInverseRoundTripInTheSpannedSubspace() {
        Dataset cloud = knownCloud();
        Pca pca = Pca.fit(cloud, 3, backend);
        Tensor x = backend.fromArray(cloud.rows(0, 8), Shape.of(8, 3));
        Tensor codes = pca.transform(x);
        assertEquals(Shape.of(8, 3), codes.shape());
        // the first code of each point is ±3 (its coordinate along u1)
        float[] c = codes.toArray();
        for (int i = 0; i < 8; i++) {
            assertEquals(3.0, Math.abs(c[i * 3]), 1e-5);
        }
        assertArrayEquals(cloud.rows(0, 8), pca.inverseTransform(codes).toArray(), 1e-5f);
    }

    @Test
    void badComponentCountsAreErrorsNamingTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pca.fit(knownCloud(), 4, backend));
        assertTrue(e.getMessage().contains("1..3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(knownCloud(), 0, backend));
    }

    @Test
    void measuringDataOfAnotherWidthIsAnError() {
        Pca pca = Pca.fit(knownCloud(), 1, backend);
        Dataset other = Dataset.unlabelled("wide", new float[8], 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pca.reconstructionError(other, backend));
        assertTrue(e.getMessage().contains("wide"), e.getMessage());
    }
}
