package org.vae4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vae4j.autodiff.Variable;
import org.vae4j.data.Batch;
import org.vae4j.model.Loss;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Models;
import org.vae4j.model.StepContext;
import org.vae4j.nn.Parameter;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.TensorScope;

/** The conv VQ-VAE (a grid of codes) and its PixelCNN prior. */
class ConvVqVaeTest {

    private final Backend be = Backends.get("ejml");
    private TensorScope scope;

    @BeforeEach
    void openScope() {
        scope = be.newScope();
    }

    @AfterEach
    void closeScope() {
        scope.close();
    }

    private VqVae conv(Map<String, ?> extra) {
        Map<String, Object> s = new HashMap<>(Map.of("arch", "conv", "image", List.of(1, 12, 8),
                "channels", List.of(3, 4), "code-dim", 2, "codebook-size", 6,
                "dead-code-steps", 0));
        s.putAll(extra);
        return (VqVae) Models.create("vq-vae", ModelConfig.of(s), be, 5);
    }

    private Batch images(int n, int c, int h, int w) {
        return new Batch(new Rng(n).uniform(be, Shape.of(n, c * h * w), 0, 1));
    }

    @Test
    void mnistGivesADByFiveByFiveGridOfSevenBySevenPositions() {
        VqVae m = (VqVae) Models.create("vq-vae", ModelConfig.of(Map.of("arch", "conv",
                "code-dim", 8, "channels", List.of(4, 6), "dead-code-steps", 0)), be, 1);
        assertArrayEquals(new int[] {8, 7, 7}, m.gridShape());
        assertEquals(49, m.positions());
        assertEquals(512, m.codebook().size(), "K is 512 by default");
        Batch b = images(3, 1, 28, 28);
        assertEquals(Shape.of(3, 49 * 8), m.encode(b).shape());
        assertEquals(3 * 49, m.codes(b).length);
        assertEquals(Shape.of(3, 784), m.reconstruct(b).shape());
        assertEquals(Shape.of(2, 784), m.sample(2, null, new Rng(1)).shape());
        assertFalse(m.parameters().keySet().stream().anyMatch(k -> k.contains("Linear")));
    }

    @Test
    void anOddImageGivesItsOwnGridAndComesBackToItsSize() {
        VqVae m = (VqVae) Models.create("vq-vae", ModelConfig.of(Map.of("arch", "conv",
                "image", List.of(1, 20, 12), "channels", List.of(3, 4), "code-dim", 5,
                "codebook-size", 7, "dead-code-steps", 0)), be, 1);
        assertArrayEquals(new int[] {5, 5, 3}, m.gridShape());
        Batch b = images(2, 1, 20, 12);
        assertEquals(Shape.of(2, 15 * 5), m.encode(b).shape());
        assertEquals(Shape.of(2, 240), m.reconstruct(b).shape());
        Loss loss = m.loss(b, StepContext.evaluation(0, new Rng(9)));
        assertTrue(Float.isFinite(loss.total().item()));
    }

    @Test
    void eachGridPositionIsQuantisedToItsNearestCodeInRasterOrder() {
        VqVae m = conv(Map.of());
        Batch b = images(2, 1, 12, 8);
        int[] codes = m.codes(b);
        // encode gives the D values of each position in turn; the codes are their nearest
        float[] z = m.encode(b).toArray();
        float[] e = m.codebook().embedding().toArray();
        int d = 2;
        for (int i = 0; i < codes.length; i++) {
            int best = 0;
            double bestD = Double.POSITIVE_INFINITY;
            for (int k = 0; k < 6; k++) {
                double dist = 0;
                for (int j = 0; j < d; j++) {
                    double diff = z[i * d + j] - e[k * d + j];
                    dist += diff * diff;
                }
                if (dist < bestD) {
                    bestD = dist;
                    best = k;
                }
            }
            assertEquals(best, codes[i], "position " + i);
        }
        // the grid of (n x D x H' x W') in raster order: position (r, c) of example 1
        Variable grid = m.encodeVectors(Variable.constant(b.x()));
        assertEquals(Shape.of(2 * 3 * 2, 2), grid.shape());
    }

    @Test
    void gradientsOfTheDecoderAndCodebookMatchCentralDifferences() {
        VqVae m = conv(Map.of());
        // codes of unit size, so that the decoder's units are not all near their kinks
        m.codebook().embedding().assign(new Rng(8).normal(6 * 2, 0, 1));
        Batch b = images(2, 1, 12, 8);
        int[] codes = m.codes(b);
        m.zeroGrad();
        m.loss(b, StepContext.evaluation(0, new Rng(9))).total().backward();
        double h = 2e-3;
        int checked = 0;
        for (Map.Entry<String, Parameter> e : m.parameters().entrySet()) {
            // the encoder's gradient is the straight-through estimate, not the loss's
            // derivative; the codebook's is the derivative of the codebook term alone
            if (e.getKey().startsWith("encoder")) {
                continue;
            }
            String term = e.getKey().startsWith("codebook") ? "codebook" : null;
            Parameter p = e.getValue();
            float[] g = p.grad().toArray();
            float[] v0 = p.toArray();
            for (int i = 0; i < v0.length; i += Math.max(1, v0.length / 12)) {
                float[] v = v0.clone();
                v[i] += h;
                p.assign(v);
                double lp = value(m, b, term);
                assertArrayEquals(codes, m.codes(b), "the codes must not change");
                v[i] -= 2 * h;
                p.assign(v);
                double lm = value(m, b, term);
                assertArrayEquals(codes, m.codes(b), "the codes must not change");
                p.assign(v0);
                double numeric = (lp - lm) / (2 * h);
                assertEquals(numeric, g[i], 5e-3 + 2e-2 * Math.abs(numeric),
                        e.getKey() + " element " + i);
                checked++;
            }
        }
        assertTrue(checked > 30, "checked " + checked);
    }

    @Test
    void theEncoderGetsTheDecoderInputsGradientStraightThrough() {
        VqVae m = conv(Map.of());
        Batch b = images(2, 1, 12, 8);
        m.zeroGrad();
        m.loss(b, StepContext.evaluation(0, new Rng(9))).total().backward();
        assertTrue(Arrays.stream(toDouble(m.parameters().get("encoder.0.weight").grad()
                .toArray())).anyMatch(v -> v != 0));
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** The loss's total, or its term {@code term} if not null. */
    private static double value(VqVae m, Batch b, String term) {
        try (TensorScope s = m.backend().newScope()) {
            Loss loss = m.loss(b, StepContext.evaluation(0, new Rng(9)));
            return (term == null ? loss.total() : loss.terms().get(term)).item();
        }
    }

    // ---------------------------------------------------------------- the PixelCNN prior

    private PixelCnnPrior prior(int k, int h, int w, long seed) {
        return new PixelCnnPrior(be, k, h, w, 8, 2, new Rng(seed));
    }

    @Test
    void theLogitsAtAPositionDependOnlyOnTheCodesBeforeIt() {
        int h = 4;
        int w = 5;
        int k = 5;
        PixelCnnPrior p = prior(k, h, w, 3);
        int[] grid = new int[h * w];
        Rng rng = new Rng(4);
        for (int i = 0; i < grid.length; i++) {
            grid[i] = rng.nextInt(k);
        }
        float[] base = p.logits(grid).toArray();
        for (int j = 0; j < grid.length; j++) {
            int[] moved = grid.clone();
            moved[j] = (grid[j] + 1) % k;
            float[] l = p.logits(moved).toArray();
            for (int i = 0; i < grid.length; i++) {
                float[] a = Arrays.copyOfRange(base, i * k, (i + 1) * k);
                float[] c = Arrays.copyOfRange(l, i * k, (i + 1) * k);
                if (j >= i) {
                    assertArrayEquals(a, c, "logits at " + i + " moved with the code at " + j);
                } else if (j == i - 1 && i % w > 0 || j == i - w) {
                    assertFalse(Arrays.equals(a, c), "logits at " + i + " ignore code " + j);
                }
            }
        }
    }

    @Test
    void theLossIsTheNegativeLogLikelihoodPerGrid() {
        int k = 3;
        PixelCnnPrior p = prior(k, 2, 2, 5);
        int[] grids = {0, 2, 1, 1, 2, 2, 0, 1};
        float[] logits = p.logits(grids).toArray();
        double nll = 0;
        for (int i = 0; i < grids.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, logits[i * k + c]);
            }
            double z = 0;
            for (int c = 0; c < k; c++) {
                z += Math.exp(logits[i * k + c] - max);
            }
            nll -= logits[i * k + grids[i]] - max - Math.log(z);
        }
        assertEquals(nll / 2, p.nll(grids).item(), 1e-4, "two grids of four positions");
    }

    @Test
    void samplingIsSeededByTheFrameworkRng() {
        PixelCnnPrior p = prior(4, 3, 3, 6);
        int[] a = p.sample(5, new Rng(11));
        int[] b = p.sample(5, new Rng(11));
        int[] c = p.sample(5, new Rng(12));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        assertTrue(Arrays.stream(a).allMatch(v -> v >= 0 && v < 4));
    }

    @Test
    void thePixelCnnIsPartOfTheModelAndSamplesFromIt() {
        VqVae m = conv(Map.of("prior", "pixelcnn", "prior-width", 4, "prior-layers", 1));
        assertTrue(m.parameters().keySet().stream().anyMatch(k -> k.startsWith("pixelcnn.")));
        assertArrayEquals(m.sample(3, null, new Rng(2)).toArray(),
                m.sample(3, null, new Rng(2)).toArray());
        // the autoencoder is drawn first: the same numbers with either prior
        VqVae plain = conv(Map.of());
        for (String name : plain.parameters().keySet()) {
            assertArrayEquals(plain.parameters().get(name).toArray(),
                    m.parameters().get(name).toArray(), name);
        }
        assertNull(plain.pixelCnn());
    }

    @Test
    void thePriorNllScoreIsEachGridsNegativeLogLikelihood() {
        VqVae m = conv(Map.of("prior", "pixelcnn", "prior-width", 4, "prior-layers", 1));
        assertEquals(List.of("reconstruction-error", "prior-nll"), m.scoreNames());
        assertEquals(List.of("reconstruction-error"), conv(Map.of()).scoreNames());
        Batch x = images(3, 1, 12, 8);
        float[] scores = m.score("prior-nll", x, new org.vae4j.anomaly.ScoreOptions(1,
                new Rng(1))).toArray();
        assertEquals(3, scores.length);
        int[] codes = m.codes(x);
        int per = codes.length / 3;
        for (int i = 0; i < 3; i++) {
            int[] one = Arrays.copyOfRange(codes, i * per, (i + 1) * per);
            assertEquals(m.pixelCnn().nll(one).item(), scores[i], 1e-4, "grid " + i);
        }
    }

    @Test
    void pixelCnnOnAModelWithoutAGridIsAClearError() {
        var e = assertThrows(IllegalArgumentException.class, () -> Models.create("vq-vae",
                ModelConfig.of(Map.of("prior", "pixelcnn")), be, 1));
        assertTrue(e.getMessage().contains("vq-vae") && e.getMessage().contains("arch mlp")
                && e.getMessage().contains("arch conv"), e.getMessage());
    }

    @Test
    void badGridsAreClearErrors() {
        PixelCnnPrior p = prior(4, 3, 3, 6);
        var e = assertThrows(IllegalArgumentException.class, () -> p.nll(new int[5]));
        assertTrue(e.getMessage().contains("3x3"), e.getMessage());
        int[] bad = new int[9];
        bad[4] = 4;
        e = assertThrows(IllegalArgumentException.class, () -> p.logits(bad));
        assertTrue(e.getMessage().contains("outside 0..3"), e.getMessage());
        VqVae m = conv(Map.of());
        e = assertThrows(IllegalArgumentException.class, () -> m.codes(images(2, 1, 12, 9)));
        assertTrue(e.getMessage().contains("image"), e.getMessage());
    }
}
