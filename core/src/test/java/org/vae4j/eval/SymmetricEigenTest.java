package org.vae4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {

    @Test
    void diagonalMatrixGivesItsDiagonalSortedDescending() {
        double[] a = {2, 0, 0, 0, 5, 0, 0, 0, -1};
        SymmetricEigen e = new SymmetricEigen(a, 3);
        assertArrayEquals(new double[] {5, 2, -1}, e.values(), 1e-12);
        assertEquals(1.0, Math.abs(e.vector(0)[1]), 1e-12);
        assertEquals(1.0, Math.abs(e.vector(1)[0]), 1e-12);
        assertEquals(1.0, Math.abs(e.vector(2)[2]), 1e-12);
    }

    @Test
    void twoByTwoMatchesTheClosedForm() {
        // [[2, 1], [1, 2]] has eigenvalues 3 (along (1, 1)) and 1 (along (1, -1)).
        SymmetricEigen e = new SymmetricEigen(new double[] {2, 1, 1, 2}, 2);
        assertArrayEquals(new double[] {3, 1}, e.values(), 1e-12);
        double[] v = e.vector(0);
        assertEquals(Math.abs(v[0]), Math.abs(v[1]), 1e-12);
        assertEquals(Math.sqrt(0.5), Math.abs(v[0]), 1e-12);
    }

    @Test
    void oneByOneIsItsOwnEigenvalue() {
        SymmetricEigen e = new SymmetricEigen(new double[] {7}, 1);
        assertArrayEquals(new double[] {7}, e.values(), 0);
        assertArrayEquals(new double[] {1}, new double[] {Math.abs(e.vector(0)[0])}, 0);
    }

    @Test
    void randomSymmetricMatrixIsDiagonalisedByOrthonormalVectors() {
        int n = 60;
        Random r = new Random(3);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = r.nextGaussian();
                a[i * n + j] = v;
                a[j * n + i] = v;
            }
        }
        SymmetricEigen e = new SymmetricEigen(a, n);
        double[] values = e.values();
        for (int k = 0; k < n; k++) {
            double[] v = e.vector(k);
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int j = 0; j < n; j++) {
                    av += a[i * n + j] * v[j];
                }
                assertEquals(values[k] * v[i], av, 1e-10, "A v = lambda v for eigenpair " + k);
            }
            for (int m = 0; m <= k; m++) {
                double dot = 0;
                double[] u = e.vector(m);
                for (int i = 0; i < n; i++) {
                    dot += u[i] * v[i];
                }
                assertEquals(m == k ? 1 : 0, dot, 1e-12, "v" + m + " . v" + k);
            }
            if (k > 0) {
                assertEquals(true, values[k - 1] >= values[k], "sorted descending");
            }
        }
    }

    @Test
    void repeatedEigenvaluesAndZeroRowsAreHandled() {
        // rank 1: all eigenvalues but one are 0; the zero rows exercise the scale == 0 path
        double[] a = new double[16];
        a[0] = 4;
        SymmetricEigen e = new SymmetricEigen(a, 4);
        assertArrayEquals(new double[] {4, 0, 0, 0}, e.values(), 1e-12);
    }

    @Test
    void nonFiniteInputIsRejectedNamingTheElement() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> new SymmetricEigen(new double[] {1, Double.NaN, Double.NaN, 1}, 2));
        assertEquals(true, ex.getMessage().contains("(0, 1)"), ex.getMessage());
    }
}
