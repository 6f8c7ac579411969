package org.vae4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vae4j.autodiff.Variable;
import org.vae4j.data.Batch;
import org.vae4j.model.Loss;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Models;
import org.vae4j.model.StepContext;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.TensorScope;

/** The autoencoder's objective and the denoising autoencoder's corruption. */
class AutoencoderTest {

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

    private Autoencoder create(String type, Map<String, ?> settings) {
        return (Autoencoder) Models.create(type, ModelConfig.of(settings), be, 4);
    }

    @Test
    void aeLossIsSquaredErrorSummedOverFeaturesAndAveragedOverTheBatch() {
        // 2 -> 1 -> 2, no hidden layer, identity output: x̂ = (x·a + b)·c + d
        try (Autoencoder m = create("ae", Map.of("input", 2, "hidden", List.of(), "latent", 1,
                "output", "identity"))) {
            m.parameters().get("encoder.0.weight").assign(new float[] {0.5f, -1f});
            m.parameters().get("encoder.0.bias").assign(new float[] {0.25f});
            m.parameters().get("decoder.0.weight").assign(new float[] {2f, 1f});
            m.parameters().get("decoder.0.bias").assign(new float[] {0f, -0.5f});
            float[] x = {1f, 0f, 0.2f, 0.6f};
            double expected = 0;
            for (int i = 0; i < 2; i++) {
                double z = x[2 * i] * 0.5 - x[2 * i + 1] + 0.25;
                double e0 = 2 * z - x[2 * i];
                double e1 = z - 0.5 - x[2 * i + 1];
                expected += (e0 * e0 + e1 * e1) / 2;
            }
            Map<String, Double> v = m.loss(new Batch(be.fromArray(x, 2, 2)),
                    StepContext.training(0, new Rng(1))).values();
            assertEquals(expected, v.get(Loss.TOTAL), 1e-5);
            assertEquals(expected, v.get("reconstruction"), 1e-5);
        }
    }

    @Test
    void theDefaultOutputIsASigmoidInTheUnitInterval() {
        try (Autoencoder m = create("ae", Map.of())) {
            assertEquals(32, m.latentSize());
            float[] r = m.reconstruct(new Batch(new Rng(1).normal(be, Shape.of(3, 784), 0, 3)))
                    .toArray();
            for (float v : r) {
                assertTrue(v >= 0 && v <= 1, "sigmoid output " + v);
            }
        }
    }

    @Test
    void aPlainAutoencoderHasNoCorruption() {
        try (Autoencoder m = create("ae", Map.of())) {
            assertInstanceOf(Corruption.None.class, m.corruption());
        }
    }

    @Test
    void daeCorruptsItsInputOnlyInTraining() {
        Batch batch = new Batch(new Rng(2).uniform(be, Shape.of(8, 784), 0, 1));
        try (Autoencoder dae = create("dae", Map.of("noise", "mask", "noise-level", 0.5))) {
            assertEquals(new Corruption.Masking(0.5), dae.corruption());
            double clean = cleanLoss(dae, batch);
            double eval = dae.loss(batch, StepContext.evaluation(0, new Rng(3))).values()
                    .get(Loss.TOTAL);
            double train = dae.loss(batch, StepContext.training(0, new Rng(3))).values()
                    .get(Loss.TOTAL);
            assertEquals(clean, eval, 1e-4, "no corruption in evaluation");
            assertNotEquals(clean, train, 1e-3, "corruption in training");
            assertEquals(train, dae.loss(batch, StepContext.training(0, new Rng(3))).values()
                    .get(Loss.TOTAL), 0, "the noise comes from the step's generator");
        }
    }

    @Test
    void daeReconstructsTheCleanInputFromTheCorruptedOne() {
        // With a drop rate of 0 the training loss is the clean loss: the target is x, not x̃.
        Batch batch = new Batch(new Rng(2).uniform(be, Shape.of(8, 784), 0, 1));
        try (Autoencoder dae = create("dae", Map.of("noise", "mask", "noise-level", 0.0))) {
            assertEquals(cleanLoss(dae, batch), dae.loss(batch,
                    StepContext.training(0, new Rng(3))).values().get(Loss.TOTAL), 1e-4);
        }
        try (Autoencoder dae = create("dae", Map.of("noise", "gaussian", "noise-level", 0.0))) {
            assertEquals(cleanLoss(dae, batch), dae.loss(batch,
                    StepContext.training(0, new Rng(3))).values().get(Loss.TOTAL), 1e-4);
        }
    }

    /** Σ (x̂ − x)² / n from the deterministic reconstruction. */
    private double cleanLoss(Autoencoder m, Batch batch) {
        float[] r = m.reconstruct(batch).toArray();
        float[] x = batch.x().toArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (r[i] - x[i]) * (r[i] - x[i]);
        }
        return s / batch.size();
    }

    @Test
    void maskingNoiseZeroesTheDropRateOfTheInputs() {
        Variable x = Variable.constant(be.ones(Shape.of(100, 1000)));
        float[] masked = Corruption.masking(0.3).apply(x, new Rng(5)).toArray();
        int zeros = 0;
        for (float v : masked) {
            assertTrue(v == 0f || v == 1f);
            zeros += v == 0f ? 1 : 0;
        }
        // 100,000 Bernoulli(0.3) draws: the standard deviation of the fraction is 0.0014.
        assertEquals(0.3, zeros / 100_000.0, 0.01);
    }

    @Test
    void gaussianNoiseAddsTheGivenStandardDeviation() {
        Variable x = Variable.constant(be.full(Shape.of(100, 1000), 0.5f));
        float[] noisy = Corruption.gaussian(0.2).apply(x, new Rng(5)).toArray();
        double sum = 0;
        double sq = 0;
        for (float v : noisy) {
            sum += v - 0.5;
            sq += (v - 0.5) * (v - 0.5);
        }
        double mean = sum / noisy.length;
        assertEquals(0, mean, 0.005);
        assertEquals(0.2, Math.sqrt(sq / noisy.length - mean * mean), 0.005);
    }

    @Test
    void corruptionIsCutFromTheGraph() {
        Variable leaf = Variable.leaf(be.ones(Shape.of(2, 2)));
        assertTrue(!Corruption.masking(0.5).apply(leaf, new Rng(1)).requiresGrad());
        assertTrue(!Corruption.gaussian(0.5).apply(leaf, new Rng(1)).requiresGrad());
    }

    @Test
    void invalidCorruptionsAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> Corruption.masking(1.0));
        assertThrows(IllegalArgumentException.class, () -> Corruption.masking(-0.1));
        assertThrows(IllegalArgumentException.class, () -> Corruption.gaussian(-1));
    }

    @Test
    void encodeAndDecodeRoundTripIsTheReconstruction() {
        try (Autoencoder m = create("ae", Map.of("latent", 8, "hidden", List.of(32)))) {
            Batch batch = new Batch(new Rng(2).uniform(be, Shape.of(3, 784), 0, 1));
            assertArrayEquals(m.reconstruct(batch).toArray(),
                    m.decode(m.encode(batch), null).toArray(), 1e-6f);
            assertEquals(Shape.of(3, 8), m.encode(batch).shape());
        }
    }

    @Test
    void aBatchOfTheWrongWidthIsAClearError() {
        try (Model m = create("dae", Map.of())) {
            Batch batch = new Batch(be.zeros(Shape.of(128, 100)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.loss(batch, StepContext.training(0, new Rng(1))));
            assertEquals("dae expects inputs of width 784 (setting 'input'), got batch (128x100)",
                    e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> ((Autoencoder) m).decode(be.zeros(Shape.of(2, 5)), null));
        }
    }
}
