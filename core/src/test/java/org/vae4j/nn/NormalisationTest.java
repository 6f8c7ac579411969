package org.vae4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vae4j.autodiff.Variable;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.TensorScope;

/** Batch, layer and group normalisation, leaky ReLU, flatten and unflatten. */
class NormalisationTest {

    private final Backend be = new ReferenceBackend();
    private TensorScope scope;

    @BeforeEach
    void open() {
        scope = be.newScope();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    private float[] random(long seed, Shape s) {
        return new Rng(seed).uniform(s.size(), -2, 3);
    }

    private Variable input(long seed, int... dims) {
        Shape s = Shape.of(dims);
        return Variable.leaf(be.fromArray(random(seed, s), s));
    }

    /** Mean and biased variance of each channel of an (N x C x H x W) array, over N, H, W. */
    private static double[][] channelStats(float[] x, int n, int c, int plane) {
        double[][] stats = new double[2][c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < plane; i++) {
                    sum += x[(b * c + ch) * plane + i];
                }
            }
            double mean = sum / (n * plane);
            double sq = 0;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < plane; i++) {
                    double d = x[(b * c + ch) * plane + i] - mean;
                    sq += d * d;
                }
            }
            stats[0][ch] = mean;
            stats[1][ch] = sq / (n * plane);
        }
        return stats;
    }

    @Test
    void batchNormNormalisesEachChannelAndMovesTheRunningStatistics() {
        try (BatchNorm bn = new BatchNorm(be, 3); Mode m = Mode.train(new Rng(1))) {
            Variable x = input(2, 4, 3, 5, 5);
            double[][] in = channelStats(x.toArray(), 4, 3, 25);
            double[][] out = channelStats(bn.forward(x).toArray(), 4, 3, 25);
            for (int ch = 0; ch < 3; ch++) {
                assertEquals(0, out[0][ch], 1e-5, "mean of channel " + ch);
                assertEquals(1, out[1][ch], 1e-3, "variance of channel " + ch);
                int count = 4 * 25;
                assertEquals(0.1 * in[0][ch], bn.runningMean().toArray()[ch], 1e-5);
                assertEquals(0.9 + 0.1 * in[1][ch] * count / (count - 1),
                        bn.runningVar().toArray()[ch], 1e-5);
            }
        }
    }

    @Test
    void batchNormUsesTheRunningStatisticsInEvaluation() {
        try (BatchNorm bn = new BatchNorm(be, 2)) {
            bn.runningMean().assign(new float[] {1, -1});
            bn.runningVar().assign(new float[] {4, 0.25f});
            Variable x = Variable.constant(be, new float[] {3, 0, -1, 1}, 2, 2);
            // no training scope: evaluation
            float[] y = bn.forward(x).toArray();
            double s0 = Math.sqrt(4 + 1e-5);
            double s1 = Math.sqrt(0.25 + 1e-5);
            assertArrayEquals(new float[] {(float) (2 / s0), (float) (1 / s1),
                (float) (-2 / s0), (float) (2 / s1)}, y, 1e-6f);
            assertEquals(List.of("weight", "bias"), List.copyOf(bn.parameters().keySet()));
            assertEquals(List.of("running_mean", "running_var"),
                    List.copyOf(bn.buffers().keySet()));
        }
    }

    @Test
    void layerNormNormalisesEachExampleOverTheLastAxes() {
        try (LayerNorm ln = new LayerNorm(be, 4, 3)) {
            float[] y = ln.forward(input(3, 2, 4, 3)).toArray();
            for (int b = 0; b < 2; b++) {
                double sum = 0;
                double sq = 0;
                for (int i = 0; i < 12; i++) {
                    sum += y[b * 12 + i];
                    sq += (double) y[b * 12 + i] * y[b * 12 + i];
                }
                assertEquals(0, sum / 12, 1e-5);
                assertEquals(1, sq / 12, 1e-3);
            }
        }
    }

    @Test
    void oneGroupIsLayerNormOverTheExampleAndAGroupPerChannelIsInstanceNorm() {
        Variable x = input(4, 2, 6, 3, 3);
        try (GroupNorm one = new GroupNorm(be, 1, 6); LayerNorm ln = new LayerNorm(be, 6, 3, 3);
                GroupNorm each = new GroupNorm(be, 6, 6)) {
            assertArrayEquals(ln.forward(x).toArray(), one.forward(x).toArray(), 1e-6f);
            float[] y = each.forward(x).toArray();
            for (int plane = 0; plane < 12; plane++) {
                double sum = 0;
                for (int i = 0; i < 9; i++) {
                    sum += y[plane * 9 + i];
                }
                assertEquals(0, sum / 9, 1e-5, "plane " + plane);
            }
        }
    }

    @Test
    void theNormalisationsGradientsMatchFiniteDifferences() {
        try (BatchNorm bn = new BatchNorm(be, 3); LayerNorm ln = new LayerNorm(be, 5);
                GroupNorm gn = new GroupNorm(be, 2, 4)) {
            try (Mode m = Mode.train(new Rng(5))) {
                checkGradient("batch norm 2d", bn::forward, Shape.of(3, 3, 2, 2));
                checkGradient("batch norm 1d", bn::forward, Shape.of(5, 3));
            }
            checkGradient("layer norm", ln::forward, Shape.of(3, 5));
            checkGradient("group norm", gn::forward, Shape.of(2, 4, 3));
            checkGradient("leaky relu", Activation.LEAKY_RELU::forward, Shape.of(4, 5));
            checkGradient("gelu", Activation.GELU::forward, Shape.of(4, 5));
        }
    }

    /** {@code Σ w ⊙ f(x)} with fixed weights: every input's gradient against central differences. */
    private void checkGradient(String name, Function<Variable, Variable> f, Shape shape) {
        float[] x0 = random(6, shape);
        for (int i = 0; i < x0.length; i++) {
            // keep leaky relu's inputs away from its kink
            x0[i] += Math.signum(x0[i]) * 0.05f;
        }
        Shape out = f.apply(Variable.constant(be.fromArray(x0, shape))).shape();
        Variable weights = Variable.constant(new Rng(7).uniform(be, out, 0.5, 1.5));
        Variable x = Variable.leaf(be.fromArray(x0, shape));
        f.apply(x).mul(weights).sum().backward();
        float[] analytic = x.grad().toArray();
        double h = 1e-2;
        for (int i = 0; i < x0.length; i++) {
            float[] plus = x0.clone();
            float[] minus = x0.clone();
            plus[i] += h;
            minus[i] -= h;
            double lp = f.apply(Variable.constant(be.fromArray(plus, shape))).mul(weights).sum()
                    .item();
            double lm = f.apply(Variable.constant(be.fromArray(minus, shape))).mul(weights).sum()
                    .item();
            double numeric = (lp - lm) / (2 * h);
            assertEquals(numeric, analytic[i], 2e-3 + 2e-2 * Math.abs(numeric),
                    name + ": input element " + i);
        }
    }

    @Test
    void leakyReluKeepsPositivesAndScalesTheRest() {
        Variable x = Variable.leaf(be.fromArray(new float[] {2, -3, 0}, 3));
        Variable y = Activation.LEAKY_RELU.forward(x);
        assertArrayEquals(new float[] {2, -0.03f, 0}, y.toArray(), 1e-7f);
        y.sum().backward();
        assertArrayEquals(new float[] {1, 0.01f, 0.01f}, x.grad().toArray(), 1e-7f);
        assertEquals(Activation.LEAKY_RELU, Activation.parse("leaky_relu"));
    }

    @Test
    void geluIsXTimesTheNormalCdfAndErfIsExact() {
        // erf to double precision at the series and the continued-fraction sides of 2.5
        double[][] known = {{0.5, 0.5204998778130465}, {1, 0.8427007929497149},
            {2, 0.9953222650189527}, {2.5, 0.9995930479825550}, {3, 0.9999779095030014},
            {-1.5, -0.9661051464753108}, {4, 0.9999999845827421}, {0, 0}};
        for (double[] k : known) {
            assertEquals(k[1], org.vae4j.tensor.UnaryOp.ERF.apply(k[0]), 1e-15, "erf " + k[0]);
        }
        Variable x = Variable.constant(be, new float[] {-1, 0, 0.5f, 3}, 4);
        float[] y = Activation.GELU.forward(x).toArray();
        // PyTorch: torch.nn.functional.gelu(torch.tensor([-1, 0, 0.5, 3.]))
        assertArrayEquals(new float[] {-0.15865526f, 0, 0.34573123f, 2.9959502f}, y, 2e-7f);
    }

    @Test
    void flattenAndUnflattenAreInverses() {
        Variable x = input(8, 2, 64, 7, 7);
        Variable flat = new Flatten().forward(x);
        assertEquals(Shape.of(2, 3136), flat.shape());
        Variable back = new Unflatten(64, 7, 7).forward(flat);
        assertEquals(x.shape(), back.shape());
        assertArrayEquals(x.toArray(), back.toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Unflatten(64, 7, 7).forward(input(9, 2, 100)));
        assertEquals("Unflatten(64x7x7): expects (N x 3136) input, got (2x100)", e.getMessage());
    }

    @Test
    void badInputsAreNamed() {
        try (BatchNorm bn = new BatchNorm(be, 3)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> bn.forward(input(1, 4, 2, 5, 5)));
            assertEquals("BatchNorm(3): expects (N x 3), (N x 3 x L) or (N x 3 x H x W) input,"
                    + " got (4x2x5x5)", e.getMessage());
            try (Mode m = Mode.train(new Rng(1))) {
                IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                        () -> bn.forward(input(1, 1, 3)));
                assertTrue(one.getMessage().contains("more than one value per channel"),
                        one.getMessage());
            }
        }
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
                () -> new GroupNorm(be, 4, 6));
        assertEquals("GroupNorm: 6 channels cannot be split into 4 groups; the channels must be a"
                + " positive multiple of the groups", g.getMessage());
        try (LayerNorm ln = new LayerNorm(be, 4)) {
            IllegalArgumentException l = assertThrows(IllegalArgumentException.class,
                    () -> ln.forward(input(1, 2, 5)));
            assertEquals("LayerNorm(4): expects input of shape (N x ...) ending in (4), got (2x5)",
                    l.getMessage());
        }
    }
}
