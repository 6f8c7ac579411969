package org.vae4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vae4j.autodiff.Variable;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.TensorScope;

/** MaskedConv2d: the output at a position sees only the inputs before it (raster order). */
class MaskedConv2dTest {

    private final Backend be = new ReferenceBackend();
    private static final int C = 2;
    private static final int H = 5;
    private static final int W = 4;

    /** The outputs {@code (out x H x W)} of one image whose pixel {@code p} is moved by +1. */
    private float[] outputs(MaskedConv2d conv, float[] image, int p) {
        float[] x = image.clone();
        if (p >= 0) {
            for (int c = 0; c < C; c++) {
                x[c * H * W + p] += 1f;
            }
        }
        try (TensorScope s = be.newScope()) {
            return conv.forward(Variable.constant(be.fromArray(x, 1, C, H, W))).toArray();
        }
    }

    private void checkCausal(MaskedConv2d.Type type) {
        try (TensorScope s = be.newScope();
                MaskedConv2d conv = new MaskedConv2d(be, type, C, 3, 3, new Rng(1))) {
            float[] image = new Rng(2).uniform(C * H * W, -1, 1);
            float[] base = outputs(conv, image, -1);
            for (int i = 0; i < H * W; i++) {
                for (int j = 0; j < H * W; j++) {
                    float[] moved = outputs(conv, image, j);
                    boolean changed = false;
                    for (int o = 0; o < 3; o++) {
                        changed |= moved[o * H * W + i] != base[o * H * W + i];
                    }
                    boolean later = j > i || j == i && type == MaskedConv2d.Type.A;
                    boolean neighbour = j == i - 1 && i % W > 0 || j == i - W
                            || j == i && type == MaskedConv2d.Type.B;
                    if (later) {
                        assertTrue(!changed, type + ": output " + i + " moved with input " + j);
                    } else if (neighbour) {
                        assertTrue(changed, type + ": output " + i + " ignores input " + j);
                    }
                }
            }
        }
    }

    @Test
    void typeAHidesTheCentreAndEverythingAfterIt() {
        checkCausal(MaskedConv2d.Type.A);
    }

    @Test
    void typeBSeesTheCentreButNothingAfterIt() {
        checkCausal(MaskedConv2d.Type.B);
    }

    @Test
    void theMaskOfAThreeByThreeKernelIsTheRasterOrder() {
        float[] a = MaskedConv2d.mask(MaskedConv2d.Type.A, 1, 1, 3);
        float[] b = MaskedConv2d.mask(MaskedConv2d.Type.B, 1, 1, 3);
        assertEquals(List.of(1f, 1f, 1f, 1f, 0f, 0f, 0f, 0f, 0f), boxed(a));
        assertEquals(List.of(1f, 1f, 1f, 1f, 1f, 0f, 0f, 0f, 0f), boxed(b));
    }

    private static List<Float> boxed(float[] v) {
        Float[] b = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i];
        }
        return List.of(b);
    }

    @Test
    void gradientsOfInputWeightAndBiasMatchCentralDifferences() {
        try (TensorScope s = be.newScope();
                MaskedConv2d conv = new MaskedConv2d(be, MaskedConv2d.Type.A, C, 3, 3,
                        new Rng(3))) {
            float[] x0 = new Rng(4).uniform(C * H * W, -1, 1);
            Variable weights = Variable.constant(new Rng(5).uniform(be, Shape.of(1, 3, H, W),
                    0.5, 1.5));
            Variable x = Variable.leaf(be.fromArray(x0, 1, C, H, W));
            conv.forward(x).mul(weights).sum().backward();
            float[] dx = x.grad().toArray();
            double h = 1e-2;
            for (int i = 0; i < x0.length; i++) {
                float[] p = x0.clone();
                float[] m = x0.clone();
                p[i] += h;
                m[i] -= h;
                double numeric = (loss(conv, p, weights) - loss(conv, m, weights)) / (2 * h);
                assertEquals(numeric, dx[i], 2e-3 + 2e-2 * Math.abs(numeric), "input " + i);
            }
            for (Parameter param : List.of(conv.weight(), conv.bias())) {
                float[] g = param.grad().toArray();
                float[] v0 = param.toArray();
                for (int i = 0; i < v0.length; i++) {
                    float[] v = v0.clone();
                    v[i] += h;
                    param.assign(v);
                    double lp = loss(conv, x0, weights);
                    v[i] -= 2 * h;
                    param.assign(v);
                    double lm = loss(conv, x0, weights);
                    param.assign(v0);
                    double numeric = (lp - lm) / (2 * h);
                    assertEquals(numeric, g[i], 2e-3 + 2e-2 * Math.abs(numeric),
                            "parameter element " + i);
                }
            }
            // a masked weight has no effect, so its gradient is zero
            float[] gw = conv.weight().grad().toArray();
            float[] mask = MaskedConv2d.mask(MaskedConv2d.Type.A, C, 3, 3);
            for (int i = 0; i < gw.length; i++) {
                if (mask[i] == 0) {
                    assertEquals(0.0, Math.abs(gw[i]), "masked weight " + i);
                }
            }
            assertNotEquals(0f, gw[0]);
        }
    }

    private double loss(MaskedConv2d conv, float[] x, Variable weights) {
        try (TensorScope s = be.newScope()) {
            return conv.forward(Variable.constant(be.fromArray(x, 1, C, H, W))).mul(weights).sum()
                    .item();
        }
    }

    @Test
    void anEvenKernelIsAClearError() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new MaskedConv2d(be, MaskedConv2d.Type.B, 1, 1, 4, new Rng(1)));
        assertTrue(e.getMessage().contains("odd"), e.getMessage());
    }
}
