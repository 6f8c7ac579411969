package org.vae4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vae4j.data.Batch;
import org.vae4j.data.DataLoader;
import org.vae4j.data.Dataset;
import org.vae4j.model.Loss;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Models;
import org.vae4j.model.StepContext;
import org.vae4j.nn.Parameter;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/** VQ-VAE: nearest codes, the straight-through gradient, its losses, EMA, restarts, prior. */
class VqVaeTest {

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

    private VqVae small(Map<String, ?> extra) {
        Map<String, Object> s = new java.util.HashMap<>(Map.of("input", 12, "hidden", List.of(16),
                "positions", 3, "code-dim", 2, "codebook-size", 8, "dead-code-steps", 0));
        s.putAll(extra);
        return (VqVae) Models.create("vq-vae", ModelConfig.of(s), be, 5);
    }

    private Batch batch(int n) {
        return new Batch(new Rng(n).uniform(be, Shape.of(n, 12), 0, 1));
    }

    @Test
    void nearestCodesAreTheBruteForceArgmin() {
        Codebook book = new Codebook(be, 6, 3, false, 0.99, 1e-5, 0, new Rng(1));
        book.embedding().assign(new Rng(2).normal(6 * 3, 0, 1));
        Tensor z = new Rng(3).normal(be, Shape.of(10, 3), 0, 1);
        float[] e = book.embedding().toArray();
        float[] zs = z.toArray();
        int[] codes = book.nearest(z);
        for (int i = 0; i < 10; i++) {
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int k = 0; k < 6; k++) {
                double d = 0;
                for (int j = 0; j < 3; j++) {
                    double diff = zs[i * 3 + j] - e[k * 3 + j];
                    d += diff * diff;
                }
                if (d < bestD) {
                    bestD = d;
                    best = k;
                }
            }
            assertEquals(best, codes[i], "row " + i);
        }
        book.close();
    }

    @Test
    void theDecoderSeesTheQuantisedVectors() {
        try (VqVae m = small(Map.of())) {
            Batch b = batch(4);
            double rec = m.loss(b, StepContext.evaluation(0, new Rng(1))).values()
                    .get("reconstruction");
            float[] x = b.x().toArray();
            float[] r = m.reconstruct(b).toArray();
            double expected = 0;
            for (int i = 0; i < x.length; i++) {
                expected += (r[i] - x[i]) * (r[i] - x[i]);
            }
            assertEquals(expected / 4, rec, 1e-5);
        }
    }

    @Test
    void lossIsReconstructionPlusCodebookPlusBetaTimesCommitment() {
        try (VqVae m = small(Map.of("commitment", 0.25))) {
            Map<String, Double> v = m.loss(batch(4), StepContext.training(0, new Rng(1)))
                    .values();
            assertEquals(List.of(Loss.TOTAL, "reconstruction", "codebook", "commitment",
                    "perplexity"), List.copyOf(v.keySet()));
            // ‖sg[z_e] − e‖² and ‖z_e − sg[e]‖² have the same value; only their gradients differ.
            assertEquals(v.get("codebook"), v.get("commitment"), 1e-6);
            assertTrue(v.get("commitment") > 0);
            assertEquals(v.get("reconstruction") + v.get("codebook") + 0.25 * v.get("commitment"),
                    v.get(Loss.TOTAL), 1e-5);
        }
    }

    @Test
    void commitmentMatchesTheDistanceToTheNearestCodes() {
        try (VqVae m = small(Map.of())) {
            Batch b = batch(4);
            float[] ze = m.encode(b).toArray();        // (4 x 6) = 12 vectors of width 2
            int[] codes = m.codes(b);
            float[] e = m.codebook().embedding().toArray();
            double expected = 0;
            for (int i = 0; i < codes.length; i++) {
                for (int j = 0; j < 2; j++) {
                    double d = ze[i * 2 + j] - e[codes[i] * 2 + j];
                    expected += d * d;
                }
            }
            assertEquals(expected / 4, m.loss(b, StepContext.training(0, new Rng(1))).values()
                    .get("commitment"), 1e-6);
        }
    }

    @Test
    void straightThroughGradientReachesTheEncoderButNotTheCodebook() {
        try (VqVae m = small(Map.of())) {
            Parameter encoderWeight = m.parameters().get("encoder.0.weight");
            Parameter codes = m.parameters().get("codebook.embedding");
            Parameter decoderWeight = m.parameters().get("decoder.0.weight");
            Loss loss = m.loss(batch(4), StepContext.training(0, new Rng(1)));
            loss.terms().get("reconstruction").backward();
            assertNotNull(encoderWeight.grad(), "the reconstruction gradient passes the"
                    + " quantiser to the encoder");
            assertTrue(maxAbs(encoderWeight.grad()) > 0);
            assertNotNull(decoderWeight.grad());
            assertNull(codes.grad(), "the reconstruction does not move the codes");
            m.zeroGrad();

            loss.terms().get("codebook").backward();
            assertNotNull(codes.grad(), "the codebook loss moves the codes");
            assertNull(encoderWeight.grad(), "sg[z_e]: the codebook loss does not move the"
                    + " encoder");
            m.zeroGrad();

            loss.terms().get("commitment").backward();
            assertNotNull(encoderWeight.grad(), "the commitment loss moves the encoder");
            assertNull(codes.grad(), "sg[e]: the commitment loss does not move the codes");
            m.zeroGrad();
        }
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : t.toArray()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Test
    void emaUpdateFollowsTheFormulaOnATinyCase() {
        Codebook book = new Codebook(be, 2, 1, true, 0.9, 0.1, 0, new Rng(1));
        book.embedding().assign(new float[] {0.5f, -0.5f});
        book.buffers().get("ema_sum").assign(new float[] {0.5f, -0.5f});
        assertArrayEquals(new float[] {1f, 1f}, book.buffers().get("ema_count").toArray());
        Tensor z = be.fromArray(new float[] {1f, 3f, 2f}, 3, 1);
        book.emaUpdate(z, new int[] {0, 0, 1});
        // n = [2, 1], Σz = [4, 2]; N = 0.9·1 + 0.1·n = [1.1, 1.0]; m = 0.9·e + 0.1·Σz
        double[] n = {1.1, 1.0};
        double[] m = {0.9 * 0.5 + 0.4, 0.9 * -0.5 + 0.2};
        double total = 2.1;
        assertArrayEquals(new float[] {1.1f, 1.0f}, book.buffers().get("ema_count").toArray(),
                1e-6f);
        assertArrayEquals(new float[] {(float) m[0], (float) m[1]},
                book.buffers().get("ema_sum").toArray(), 1e-6f);
        float[] e = book.embedding().toArray();
        for (int k = 0; k < 2; k++) {
            double smoothed = (n[k] + 0.1) / (total + 2 * 0.1) * total;
            assertEquals(m[k] / smoothed, e[k], 1e-5, "code " + k);
        }
        book.close();
    }

    @Test
    void withEmaTheCodebookIsABufferAndThereIsNoCodebookLoss() {
        try (VqVae m = small(Map.of("ema", true))) {
            assertFalse(m.parameters().containsKey("codebook.embedding"));
            assertTrue(m.buffers().containsKey("codebook.embedding"));
            assertTrue(m.buffers().containsKey("codebook.ema_count"));
            Batch b = batch(4);
            StepContext ctx = StepContext.training(0, new Rng(1));
            Loss loss = m.loss(b, ctx);
            Map<String, Double> v = loss.values();
            assertFalse(v.containsKey("codebook"));
            assertEquals(v.get("reconstruction") + 0.25 * v.get("commitment"), v.get(Loss.TOTAL),
                    1e-5);
            float[] before = m.codebook().embedding().toArray();
            m.afterStep(b, loss, ctx);
            assertFalse(java.util.Arrays.equals(before, m.codebook().embedding().toArray()),
                    "afterStep applies the EMA update");
        }
    }

    @Test
    void afterStepReadsTheEncodingsAndCodesTheLossHandsOnAndNamesThemWhenMissing() {
        try (VqVae m = small(Map.of("ema", true))) {
            Batch b = batch(4);
            StepContext ctx = StepContext.training(0, new Rng(1));
            Loss loss = m.loss(b, ctx);
            assertArrayEquals(m.codes(b), loss.output(VqVae.CODES));
            assertEquals(m.positions() * 4, loss.output(VqVae.ENCODINGS).shape().dim(0));
            Loss bare = Loss.of(loss.total());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> m.afterStep(b, bare, ctx));
            assertTrue(e.getMessage().startsWith("the loss has no output 'z_e' of type Tensor"),
                    e.getMessage());
        }
    }

    @Test
    void withoutEmaOrRestartsAfterStepChangesNothing() {
        try (VqVae m = small(Map.of())) {
            Batch b = batch(4);
            StepContext ctx = StepContext.training(0, new Rng(1));
            Loss loss = m.loss(b, ctx);
            float[] before = m.codebook().embedding().toArray();
            m.afterStep(b, loss, ctx);
            assertArrayEquals(before, m.codebook().embedding().toArray(), 0f);
        }
    }

    @Test
    void codesUnusedInTheFirstStepStartFromEncoderOutputs() {
        Codebook book = new Codebook(be, 4, 2, false, 0.99, 1e-5, 5, new Rng(1));
        float[] before = book.embedding().toArray();
        Tensor z = be.fromArray(new float[] {5f, 6f, 7f, 8f, 9f, 10f}, 3, 2);
        assertEquals(3, book.restartDeadCodes(new int[] {0, 0, 0}, z, new Rng(1)));
        float[] after = book.embedding().toArray();
        assertEquals(before[0], after[0], "code 0 was chosen and keeps its vector");
        assertEquals(before[1], after[1]);
        for (int k = 1; k < 4; k++) {
            assertIsRowOfZ(after, k);
        }
        book.close();
    }

    @Test
    void codesIdleForTheGivenStepsRestartFromEncoderOutputs() {
        Codebook book = new Codebook(be, 4, 2, true, 0.99, 1e-5, 2, new Rng(1));
        Tensor z = be.fromArray(new float[] {5f, 6f, 7f, 8f, 9f, 10f}, 3, 2);
        book.restartDeadCodes(new int[] {0, 1, 2, 3}, z, new Rng(1)); // every code in use
        float[] before = book.embedding().toArray();
        assertEquals(0, book.restartDeadCodes(new int[] {0, 0, 0}, z, new Rng(1)),
                "idle for one step");
        assertArrayEquals(before, book.embedding().toArray(), 0f);
        assertArrayEquals(new float[] {0, 1, 1, 1}, book.buffers().get("idle_steps").toArray());
        assertEquals(3, book.restartDeadCodes(new int[] {0, 0, 0}, z, new Rng(1)),
                "idle for two steps");
        float[] after = book.embedding().toArray();
        assertEquals(before[0], after[0]);
        float[] sums = book.buffers().get("ema_sum").toArray();
        float[] counts = book.buffers().get("ema_count").toArray();
        for (int k = 1; k < 4; k++) {
            assertIsRowOfZ(after, k);
            assertEquals(after[2 * k], sums[2 * k], "the EMA sum restarts at the row");
            assertEquals(1f, counts[k], "the EMA count restarts at one observation");
        }
        assertArrayEquals(new float[] {0, 0, 0, 0}, book.buffers().get("idle_steps").toArray(),
                "restarted codes start counting afresh");
        book.close();
    }

    @Test
    void withRestartsOffNoCodeIsEverRestarted() {
        Codebook book = new Codebook(be, 4, 2, false, 0.99, 1e-5, 0, new Rng(1));
        float[] before = book.embedding().toArray();
        Tensor z = be.fromArray(new float[] {5f, 6f}, 1, 2);
        for (int i = 0; i < 10; i++) {
            assertEquals(0, book.restartDeadCodes(new int[] {0}, z, new Rng(1)));
        }
        assertArrayEquals(before, book.embedding().toArray(), 0f);
        book.close();
    }

    /** Rows of z are (5, 6), (7, 8), (9, 10). */
    private static void assertIsRowOfZ(float[] vectors, int k) {
        float a = vectors[2 * k];
        assertTrue(a == 5f || a == 7f || a == 9f, "code " + k + " is a row of z: " + a);
        assertEquals(a + 1, vectors[2 * k + 1]);
    }

    @Test
    void perplexityCountsEquallyUsedCodes() {
        assertEquals(1, Codebook.perplexity(new int[] {3, 3, 3}, 8), 1e-12);
        assertEquals(4, Codebook.perplexity(new int[] {0, 1, 2, 3, 3, 2, 1, 0}, 8), 1e-12);
        double p = Codebook.perplexity(new int[] {0, 0, 0, 1}, 8);
        assertTrue(p > 1 && p < 2, "between one and two codes: " + p);
    }

    @Test
    void thePriorIsUniformUntilFittedThenTheCodeFrequenciesPerPosition() {
        try (VqVae m = small(Map.of())) {
            assertTrue(m.state().containsKey("prior"), "the prior is saved with the weights");
            assertFalse(m.parameters().containsKey("prior"));
            for (float p : m.prior()) {
                assertEquals(1 / 8f, p, 1e-7);
            }
            Dataset data = Dataset.unlabelled("uniform", new Rng(3).uniform(20 * 12, 0, 1), 12);
            int[] codes;
            try (DataLoader loader = DataLoader.builder(data, be).setBatchSize(7).build()) {
                m.fitPrior(loader);
                codes = m.codes(new Batch(be.fromArray(data.rows(0, 20), 20, 12)));
            }
            float[] prior = m.prior();
            for (int pos = 0; pos < 3; pos++) {
                int[] counts = new int[8];
                for (int i = 0; i < 20; i++) {
                    counts[codes[i * 3 + pos]]++;
                }
                for (int k = 0; k < 8; k++) {
                    assertEquals(counts[k] / 20f, prior[pos * 8 + k], 1e-6, pos + "," + k);
                }
            }
            Tensor samples = m.sample(50, null, new Rng(1));
            assertEquals(Shape.of(50, 12), samples.shape());
        }
    }

    @Test
    void samplesDrawCodesFromThePrior() {
        try (VqVae m = small(Map.of())) {
            // Only code 5 at every position: every sample is the decoding of code 5 everywhere.
            float[] prior = new float[3 * 8];
            prior[5] = prior[8 + 5] = prior[16 + 5] = 1f;
            m.buffers().get("prior").assign(prior);
            float[] sample = m.sample(2, null, new Rng(1)).toArray();
            float[] expected = m.decodeCodes(new int[] {5, 5, 5, 5, 5, 5}).toArray();
            assertArrayEquals(expected, sample, 0f);
        }
    }

    @Test
    void decodeQuantisesItsInput() {
        try (VqVae m = small(Map.of())) {
            Batch b = batch(3);
            assertArrayEquals(m.reconstruct(b).toArray(), m.decode(m.encode(b), null).toArray(),
                    0f);
            assertEquals(6, m.latentSize());
        }
    }

    @Test
    void badInputIsAClearError() {
        try (VqVae m = small(Map.of())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.loss(new Batch(be.zeros(Shape.of(5, 10))),
                            StepContext.training(0, new Rng(1))));
            assertEquals("vq-vae expects inputs of width 12 (setting 'input'), got batch (5x10)",
                    e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> m.decodeCodes(new int[] {1, 2}));
            assertThrows(IllegalArgumentException.class, () -> m.decodeCodes(new int[] {1, 2, 9}));
            assertThrows(IllegalArgumentException.class,
                    () -> m.decode(be.zeros(Shape.of(2, 5)), null));
        }
    }
}
