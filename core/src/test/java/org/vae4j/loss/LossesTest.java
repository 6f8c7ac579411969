package org.vae4j.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vae4j.autodiff.Variable;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ShapeException;
import org.vae4j.tensor.TensorScope;
import org.vae4j.tensor.ReferenceBackend;

/** Each loss against a value computed by hand (in double precision). */
class LossesTest {

    private final Backend be = new ReferenceBackend();
    private final TensorScope scope = be.newScope();

    @AfterEach
    void close() {
        scope.close();
    }

    private Variable v(float[] data, int... dims) {
        return Variable.constant(be, data, dims);
    }

    @Test
    void mseAveragesOverEveryElementAndMseSumOverTheBatch() {
        Variable x = v(new float[] {1, 2, 3, 4}, 2, 2);
        Variable y = v(new float[] {0, 2, 5, 4}, 2, 2);
        // squared errors 1, 0, 4, 0
        assertEquals(5f / 4, Losses.mse(x, y).item(), 1e-6f);
        assertEquals(5f / 2, Losses.mseSum(x, y).item(), 1e-6f);
    }

    @Test
    void l1AveragesAbsoluteErrors() {
        Variable x = v(new float[] {1, 2, 3, 4}, 2, 2);
        Variable y = v(new float[] {0, 2, 5, 4}, 2, 2);
        assertEquals(3f / 4, Losses.l1(x, y).item(), 1e-6f);
    }

    @Test
    void bceWithLogitsSumMatchesHandValueAndIsStableForLargeLogits() {
        Variable logits = v(new float[] {0, 2, -1, 100, -100, 3}, 2, 3);
        Variable target = v(new float[] {1, 0, 0.5f, 1, 0, 1}, 2, 3);
        float loss = Losses.bceWithLogitsSum(logits, target).item();
        assertEquals(1.8409621153474416, loss, 1e-5);
        assertTrue(Float.isFinite(loss));
    }

    @Test
    void klToStandardNormalMatchesClosedForm() {
        Variable mu = v(new float[] {0, 1, 2, 0}, 2, 2);
        Variable logVar = v(new float[] {0, 0, 0, (float) Math.log(2)}, 2, 2);
        assertEquals(1.3267132048600137, Losses.klToStandardNormal(mu, logVar).item(), 1e-5);
    }

    @Test
    void klIsZeroForTheStandardNormalItself() {
        Variable zeros = v(new float[6], 3, 2);
        assertEquals(0f, Losses.klToStandardNormal(zeros, zeros).item(), 1e-7f);
    }

    @Test
    void gaussianNllSumWithLearnedPerFeatureVariance() {
        Variable mean = v(new float[] {0, 1, 2, 3}, 2, 2);
        Variable target = v(new float[] {1, 1, 0, 3}, 2, 2);
        Variable logVar = v(new float[] {0, (float) Math.log(4)}, 2);
        assertEquals(3.7810242469692907, Losses.gaussianNllSum(mean, logVar, target).item(),
                1e-5);
    }

    @Test
    void gaussianNllSumWithFixedVariance() {
        Variable mean = v(new float[] {0, 1, 2, 3}, 2, 2);
        Variable target = v(new float[] {1, 1, 0, 3}, 2, 2);
        assertEquals(3.1560242469692907, Losses.gaussianNllSum(mean, target, 2.0).item(), 1e-5);
    }

    @Test
    void mismatchedShapesAreRejectedWithBothShapes() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Losses.mse(v(new float[4], 2, 2), v(new float[4], 4)));
        assertTrue(e.getMessage().contains("(2x2)") && e.getMessage().contains("(4)"),
                e.getMessage());
    }
}
