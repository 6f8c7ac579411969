package org.vae4j.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vae4j.autodiff.Variable;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.ShapeException;
import org.vae4j.tensor.TensorScope;

/** The unbiased MMD estimate against a plain double-precision loop. */
class MmdTest {

    private final Backend be = new ReferenceBackend();
    private final TensorScope scope = be.newScope();

    @AfterEach
    void close() {
        scope.close();
    }

    /** The estimate by the definition, the diagonal pairs left out. */
    private static double byDefinition(float[] x, int n, float[] y, int m, int d,
            Mmd.Kernel kernel) {
        double c = 2.0 * d;
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                xx += i == j ? 0 : k(x, i, x, j, d, c, kernel);
            }
            for (int j = 0; j < m; j++) {
                xy += k(x, i, y, j, d, c, kernel);
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                yy += i == j ? 0 : k(y, i, y, j, d, c, kernel);
            }
        }
        return xx / (n * (n - 1.0)) + yy / (m * (m - 1.0)) - 2 * xy / ((double) n * m);
    }

    private static double k(float[] a, int i, float[] b, int j, int d, double c,
            Mmd.Kernel kernel) {
        double dist = 0;
        for (int t = 0; t < d; t++) {
            double e = a[i * d + t] - b[j * d + t];
            dist += e * e;
        }
        if (kernel == Mmd.Kernel.RBF) {
            return Math.exp(-dist / c);
        }
        double sum = 0;
        for (double s : Mmd.IMQ_SCALES) {
            sum += s * c / (s * c + dist);
        }
        return sum;
    }

    @Test
    void bothKernelsMatchTheDefinitionWithTheDiagonalExcluded() {
        Rng rng = new Rng(3);
        int n = 6;
        int m = 5;
        int d = 3;
        float[] x = rng.normal(n * d, 0.5, 1);
        float[] y = rng.normal(m * d, 0, 1);
        for (Mmd.Kernel kernel : Mmd.Kernel.values()) {
            float got = Mmd.unbiased(Variable.constant(be, x, n, d), Variable.constant(be, y, m, d),
                    kernel, 1).item();
            assertEquals(byDefinition(x, n, y, m, d, kernel), got, 1e-5, kernel.toString());
        }
    }

    @Test
    void samplesFromOneDistributionScoreNearZeroAndShiftedOnesDoNot() {
        Rng rng = new Rng(5);
        int n = 200;
        int d = 4;
        Variable a = Variable.constant(rng.normal(be, Shape.of(n, d), 0, 1));
        Variable b = Variable.constant(rng.normal(be, Shape.of(n, d), 0, 1));
        Variable shifted = Variable.constant(rng.normal(be, Shape.of(n, d), 1, 1));
        for (Mmd.Kernel kernel : Mmd.Kernel.values()) {
            double same = Mmd.unbiased(a, b, kernel, 1).item();
            double apart = Mmd.unbiased(a, shifted, kernel, 1).item();
            assertTrue(Math.abs(same) < 0.2 * apart, kernel + ": " + same + " vs " + apart);
        }
    }

    @Test
    void badSamplesAreOneClearError() {
        Variable two = Variable.constant(be, new float[] {1, 2, 3, 4}, 2, 2);
        Variable one = Variable.constant(be, new float[] {1, 2}, 1, 2);
        Variable wide = Variable.constant(be, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Mmd.unbiased(two, one, Mmd.Kernel.IMQ, 1)).getMessage()
                .contains("at least 2 rows"));
        assertTrue(assertThrows(ShapeException.class,
                () -> Mmd.unbiased(two, wide, Mmd.Kernel.IMQ, 1)).getMessage()
                .contains("same width"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Mmd.unbiased(two, two, Mmd.Kernel.RBF, 0)).getMessage()
                .contains("variance"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Mmd.Kernel.parse("laplace")).getMessage().contains("imq or rbf"));
    }
}
