package org.vae4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vae4j.autodiff.Variable;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.Shape;

class TableLikelihoodTest {

    private final Backend be = Backends.get("ejml");

    // two rows of a table n, b, c3: a standardised number, a 0/1 and a one-hot of three
    private static final float[] X = {0.5f, 1, 0, 1, 0, -1.2f, 0, 1, 0, 0};
    private static final float[] OUT = {0.1f, 2.0f, 0.3f, -0.7f, 1.1f, -0.4f, -1.5f, 0.2f, 0.9f,
        -0.3f};

    /** −log p of one row, in double, written out from the definitions. */
    private static double[] byHand(int row) {
        int o = row * 5;
        double numeric = 0.5 * (0 + Math.pow(X[o] - OUT[o], 2) + Math.log(2 * Math.PI));
        double l = OUT[o + 1];
        double binary = Math.log1p(Math.exp(l)) - X[o + 1] * l;
        double lse = Math.log(Math.exp(OUT[o + 2]) + Math.exp(OUT[o + 3]) + Math.exp(OUT[o + 4]));
        double dot = X[o + 2] * OUT[o + 2] + X[o + 3] * OUT[o + 3] + X[o + 4] * OUT[o + 4];
        return new double[] {numeric, binary, lse - dot};
    }

    @Test
    void theCompositeLikelihoodEqualsAHandComputationInNatsPerRow() {
        Likelihood lik = Likelihood.table(be, "n,b,c3");
        Variable x = Variable.constant(be, X, 2, 5);
        Variable out = Variable.constant(be, OUT, 2, 5);
        double[] r0 = byHand(0);
        double[] r1 = byHand(1);
        double total = (r0[0] + r0[1] + r0[2] + r1[0] + r1[1] + r1[2]) / 2;
        assertEquals(total, be.toArray(lik.negLogLikelihood(out, x).value())[0], 1e-5);
        float[] per = be.toArray(lik.negLogLikelihoodPerExample(out, x).value());
        assertEquals(r0[0] + r0[1] + r0[2], per[0], 1e-5);
        assertEquals(r1[0] + r1[1] + r1[2], per[1], 1e-5);
        Map<String, Variable> terms = lik.terms(out, x);
        assertEquals(java.util.List.of("numeric", "binary", "categorical"),
                java.util.List.copyOf(terms.keySet()));
        assertEquals((r0[0] + r1[0]) / 2, be.toArray(terms.get("numeric").value())[0], 1e-5);
        assertEquals((r0[1] + r1[1]) / 2, be.toArray(terms.get("binary").value())[0], 1e-5);
        assertEquals((r0[2] + r1[2]) / 2, be.toArray(terms.get("categorical").value())[0],
                1e-5);
        float[] mean = be.toArray(lik.mean(out).value());
        assertEquals(OUT[0], mean[0], 1e-6);
        assertEquals(1 / (1 + Math.exp(-OUT[1])), mean[1], 1e-6);
        assertEquals(1.0, mean[2] + mean[3] + mean[4], 1e-6);
    }

    @Test
    void itsGradientMatchesFiniteDifferences() {
        Likelihood lik = Likelihood.table(be, "n,b,c3");
        Variable x = Variable.constant(be, X, 2, 5);
        Variable out = Variable.leaf(be.fromArray(OUT.clone(), Shape.of(2, 5)));
        lik.negLogLikelihood(out, x).backward();
        float[] grad = be.toArray(out.grad());
        double eps = 1e-2;
        for (int i = 0; i < OUT.length; i++) {
            float[] plus = OUT.clone();
            float[] minus = OUT.clone();
            plus[i] += (float) eps;
            minus[i] -= (float) eps;
            double fp = be.toArray(lik.negLogLikelihood(Variable.constant(be, plus, 2, 5), x)
                    .value())[0];
            double fm = be.toArray(lik.negLogLikelihood(Variable.constant(be, minus, 2, 5), x)
                    .value())[0];
            assertEquals((fp - fm) / (2 * eps), grad[i], 2e-3, "d/d output[" + i + "]");
        }
        // d/d log σ² of ½ (log σ² + (x − μ)²/σ²), at σ² = 1, averaged over the two rows
        double expected = 0.5 * ((1 - Math.pow(X[0] - OUT[0], 2)) + (1 - Math.pow(X[5] - OUT[5],
                2))) / 2;
        float g = be.toArray(lik.parameters().get("log_variance").grad())[0];
        assertEquals(expected, g, 1e-5);
    }

    @Test
    void aMalformedLayoutOrAnotherWidthIsAClearError() {
        var e = assertThrows(IllegalArgumentException.class, () -> Likelihood.table(be, "n,x"));
        assertTrue(e.getMessage().contains("'x' in table-columns"), e.getMessage());
        Likelihood lik = Likelihood.table(be, "n,b");
        var w = assertThrows(IllegalArgumentException.class, () -> lik.negLogLikelihood(
                Variable.constant(be, X, 2, 5), Variable.constant(be, X, 2, 5)));
        assertTrue(w.getMessage().contains("rows of 5 features, but table-columns describes 2"),
                w.getMessage());
    }
}
