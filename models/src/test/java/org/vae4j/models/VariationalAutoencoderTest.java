package org.vae4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vae4j.autodiff.Variable;
import org.vae4j.data.Batch;
import org.vae4j.data.Dataset;
import org.vae4j.loss.Losses;
import org.vae4j.model.Loss;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Models;
import org.vae4j.model.StepContext;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/** The VAE family's objective against closed forms, its noise, and its errors. */
class VariationalAutoencoderTest {

    private static final double TOLERANCE = 1e-4;

    // A tiny VAE, 2 inputs -> latent 1, no hidden layer, with hand-set weights.
    static final float[] X = {1f, 0f, 0.5f, 1f};
    static final double[][] W_ENC = {{0.5, -0.2}, {0.1, 0.3}}; // (in x [mu, logVar])
    static final double[] B_ENC = {0.1, -0.4};
    static final double[] W_DEC = {0.7, -1.1};                 // (1 x 2)
    static final double[] B_DEC = {0.2, 0.05};

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

    private VariationalAutoencoder tiny(String type, Map<String, ?> extra) {
        return tiny(be, type, extra);
    }

    /**
     * The hand-set VAE 2 → latent 1 (no hidden layer) of {@link #W_ENC}, {@link #B_ENC},
     * {@link #W_DEC}, {@link #B_DEC} on {@code be}; other tests check their formulas on it too.
     */
    static VariationalAutoencoder tiny(Backend be, String type, Map<String, ?> extra) {
        Map<String, Object> settings = new java.util.HashMap<>(Map.of("input", 2,
                "hidden", List.of(), "latent", 1));
        settings.putAll(extra);
        VariationalAutoencoder m = (VariationalAutoencoder) Models.create(type,
                ModelConfig.of(settings), be, 3);
        m.parameters().get("encoder.0.weight").assign(new float[] {
            (float) W_ENC[0][0], (float) W_ENC[0][1], (float) W_ENC[1][0], (float) W_ENC[1][1]});
        m.parameters().get("encoder.0.bias").assign(new float[] {(float) B_ENC[0],
            (float) B_ENC[1]});
        m.parameters().get("decoder.0.weight").assign(new float[] {(float) W_DEC[0],
            (float) W_DEC[1]});
        m.parameters().get("decoder.0.bias").assign(new float[] {(float) B_DEC[0],
            (float) B_DEC[1]});
        return m;
    }

    private Batch tinyBatch() {
        return new Batch(be.fromArray(X, 2, 2));
    }

    private static double softplus(double l) {
        return Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));
    }

    /** [mu, logVar] of example i. */
    private static double[] posterior(int i) {
        double x0 = X[2 * i];
        double x1 = X[2 * i + 1];
        return new double[] {x0 * W_ENC[0][0] + x1 * W_ENC[1][0] + B_ENC[0],
            x0 * W_ENC[0][1] + x1 * W_ENC[1][1] + B_ENC[1]};
    }

    /** −log p(x_i | z) under the Bernoulli decoder. */
    private static double bce(int i, double z) {
        double sum = 0;
        for (int j = 0; j < 2; j++) {
            double l = z * W_DEC[j] + B_DEC[j];
            sum += softplus(l) - X[2 * i + j] * l;
        }
        return sum;
    }

    @Test
    void vaeLossMatchesClosedFormOnKnownInput() {
        try (VariationalAutoencoder m = tiny("vae", Map.of())) {
            float[] eps = new Rng(42).normal(2, 0, 1);
            double rec = 0;
            double kl = 0;
            for (int i = 0; i < 2; i++) {
                double[] q = posterior(i);
                double z = q[0] + Math.exp(0.5 * q[1]) * eps[i];
                rec += bce(i, z) / 2;
                kl += -0.5 * (1 + q[1] - q[0] * q[0] - Math.exp(q[1])) / 2;
            }
            Map<String, Double> v = m.loss(tinyBatch(), StepContext.training(0, new Rng(42)))
                    .values();
            assertEquals(rec, v.get("reconstruction"), TOLERANCE);
            assertEquals(kl, v.get("kl"), TOLERANCE);
            assertEquals(rec + kl, v.get(Loss.TOTAL), TOLERANCE);
            assertEquals(List.of(Loss.TOTAL, "reconstruction", "kl"), List.copyOf(v.keySet()));
        }
    }

    @Test
    void betaVaeWeighsTheKlByBeta() {
        try (VariationalAutoencoder m = tiny("beta-vae", Map.of("beta", 4.0))) {
            Map<String, Double> v = m.loss(tinyBatch(), StepContext.training(0, new Rng(42)))
                    .values();
            assertEquals(4 * v.get("kl"), v.get("weighted-kl"), TOLERANCE);
            assertEquals(v.get("reconstruction") + 4 * v.get("kl"), v.get(Loss.TOTAL), TOLERANCE);
        }
    }

    @Test
    void capacityObjectiveIsGammaTimesDistanceOfKlFromTheCapacity() {
        try (VariationalAutoencoder m = tiny("beta-vae", Map.of("objective", "capacity",
                "gamma", 100.0, "capacity-max", 2.0, "capacity-steps", 1000))) {
            for (long step : new long[] {0, 250, 5000}) {
                Map<String, Double> v = m.loss(tinyBatch(),
                        StepContext.training(step, new Rng(42))).values();
                double c = Math.min(2.0, 2.0 * step / 1000);
                assertEquals(c, v.get("capacity"), 1e-6);
                assertEquals(100 * Math.abs(v.get("kl") - c), v.get("weighted-kl"), 1e-3);
                assertEquals(v.get("reconstruction") + v.get("weighted-kl"), v.get(Loss.TOTAL),
                        1e-3);
            }
        }
    }

    @Test
    void capacityGrowsLinearlyToItsMaximumThenStays() {
        KlPenalty p = KlPenalty.capacity(1000, 25, 100_000);
        assertEquals(0, p.capacityAt(0), 0);
        assertEquals(6.25, p.capacityAt(25_000), 1e-12);
        assertEquals(12.5, p.capacityAt(50_000), 1e-12);
        assertEquals(25, p.capacityAt(100_000), 0);
        assertEquals(25, p.capacityAt(1_000_000), 0);
        assertEquals(25, KlPenalty.capacity(1, 25, 0).capacityAt(0), 0);
        assertEquals(0, KlPenalty.beta(4).capacityAt(10), 0);
        assertTrue(KlPenalty.standard().isStandard());
        assertFalse(KlPenalty.beta(4).isStandard());
    }

    @Test
    void reparameterisationDrawsFromTheStepGenerator() {
        try (Model m = Models.create("vae", ModelConfig.empty(), be, 7)) {
            Batch batch = new Batch(new Rng(1).uniform(be, Shape.of(4, 784), 0, 1));
            double a = m.loss(batch, StepContext.training(0, new Rng(5))).values().get("loss");
            double b = m.loss(batch, StepContext.training(0, new Rng(5))).values().get("loss");
            double c = m.loss(batch, StepContext.training(0, new Rng(6))).values().get("loss");
            assertEquals(a, b, 0, "the same seed gives the same loss");
            assertNotEquals(a, c, "another seed draws another epsilon");
        }
    }

    @Test
    void theKlIsZeroExactlyWhenThePosteriorIsTheStandardNormal() {
        Variable mu = Variable.constant(be.zeros(Shape.of(3, 4)));
        Variable logVar = Variable.constant(be.zeros(Shape.of(3, 4)));
        assertEquals(0, Losses.klToStandardNormal(mu, logVar).item(), 0);
        Variable shifted = Variable.constant(be.full(Shape.of(3, 4), 1f));
        // ½ Σ μ² = ½ · 4 per example
        assertEquals(2, Losses.klToStandardNormal(shifted, logVar).item(), 1e-6);
    }

    @Test
    void importanceWeightedEstimateMatchesClosedFormWithTwoSamples() {
        try (VariationalAutoencoder m = tiny("vae", Map.of())) {
            Rng noise = new Rng(9);
            float[] eps1 = noise.normal(2, 0, 1);
            float[] eps2 = noise.normal(2, 0, 1);
            float[] est = m.logLikelihood(tinyBatch(), 2, new Rng(9)).toArray();
            assertEquals(2, est.length);
            for (int i = 0; i < 2; i++) {
                double[] q = posterior(i);
                double sigma = Math.exp(0.5 * q[1]);
                double[] logW = new double[2];
                float[] e = {eps1[i], eps2[i]};
                for (int k = 0; k < 2; k++) {
                    double z = q[0] + sigma * e[k];
                    double logPz = -0.5 * (z * z + Math.log(2 * Math.PI));
                    double logQz = -0.5 * ((z - q[0]) * (z - q[0]) / (sigma * sigma)
                            + Math.log(2 * Math.PI) + q[1]);
                    logW[k] = -bce(i, z) + logPz - logQz;
                }
                double max = Math.max(logW[0], logW[1]);
                double expected = max + Math.log((Math.exp(logW[0] - max)
                        + Math.exp(logW[1] - max)) / 2);
                assertEquals(expected, est[i], TOLERANCE);
            }
        }
    }

    @Test
    void moreImportanceSamplesTightenTheBound() {
        try (Model m = Models.create("vae", ModelConfig.of(Map.of("hidden", List.of(32),
                "latent", 4)), be, 7)) {
            VariationalAutoencoder vae = (VariationalAutoencoder) m;
            Batch batch = new Batch(new Rng(1).bernoulli(be, Shape.of(16, 784), 0.2));
            double one = mean(vae.logLikelihood(batch, 1, new Rng(3)));
            double many = mean(vae.logLikelihood(batch, 64, new Rng(3)));
            double elbo = -m.loss(batch, StepContext.evaluation(0, new Rng(3))).values()
                    .get("loss");
            assertTrue(many > one, "K=64 " + many + " vs K=1 " + one);
            assertTrue(many > elbo, "K=64 " + many + " vs ELBO " + elbo);
        }
    }

    private static double mean(Tensor t) {
        double s = 0;
        for (float v : t.toArray()) {
            s += v;
        }
        return s / t.size();
    }

    @Test
    void perExampleLikelihoodsAverageToTheBatchLoss() {
        Variable out = Variable.constant(new Rng(2).normal(be, Shape.of(3, 5), 0, 2));
        Variable x = Variable.constant(new Rng(3).uniform(be, Shape.of(3, 5), 0, 1));
        for (Likelihood l : List.of(Likelihood.bernoulli(), Likelihood.gaussian(0.3),
                Likelihood.learnedGaussian(be))) {
            assertEquals(l.negLogLikelihood(out, x).item(),
                    l.negLogLikelihoodPerExample(out, x).mean().item(), 1e-4, l.toString());
            l.close();
        }
    }

    @Test
    void bernoulliDecoderGivesPixelProbabilitiesAndGaussianGivesTheMean() {
        try (VariationalAutoencoder m = tiny("vae", Map.of())) {
            float[] p = m.decode(be.fromArray(new float[] {0.5f}, 1, 1), null).toArray();
            assertEquals(1 / (1 + Math.exp(-(0.5 * W_DEC[0] + B_DEC[0]))), p[0], 1e-6);
        }
        try (VariationalAutoencoder m = tiny("vae", Map.of("likelihood", "gaussian"))) {
            float[] mean = m.decode(be.fromArray(new float[] {0.5f}, 1, 1), null).toArray();
            assertEquals(0.5 * W_DEC[1] + B_DEC[1], mean[1], 1e-6);
        }
    }

    @Test
    void gaussianLikelihoodWithFixedVarianceMatchesClosedForm() {
        try (VariationalAutoencoder m = tiny("vae", Map.of("likelihood", "gaussian",
                "variance", 0.5))) {
            float[] eps = new Rng(42).normal(2, 0, 1);
            double rec = 0;
            for (int i = 0; i < 2; i++) {
                double[] q = posterior(i);
                double z = q[0] + Math.exp(0.5 * q[1]) * eps[i];
                for (int j = 0; j < 2; j++) {
                    double d = X[2 * i + j] - (z * W_DEC[j] + B_DEC[j]);
                    rec += (d * d / (2 * 0.5) + 0.5 * Math.log(2 * Math.PI * 0.5)) / 2;
                }
            }
            assertEquals(rec, m.loss(tinyBatch(), StepContext.training(0, new Rng(42))).values()
                    .get("reconstruction"), TOLERANCE);
        }
    }

    @Test
    void learnedVarianceIsAParameterThatGetsAGradient() {
        try (VariationalAutoencoder m = tiny("vae", Map.of("likelihood", "gaussian",
                "variance", "learned"))) {
            assertTrue(m.parameters().containsKey("likelihood.log_variance"));
            m.loss(tinyBatch(), StepContext.training(0, new Rng(1))).total().backward();
            assertNotNull(m.parameters().get("likelihood.log_variance").grad());
            m.zeroGrad();
        }
    }

    @Test
    void theMeanOfThePosteriorIsTheCodeAndReconstructionIsDeterministic() {
        try (VariationalAutoencoder m = tiny("vae", Map.of())) {
            float[] mu = m.encode(tinyBatch()).toArray();
            assertEquals(posterior(0)[0], mu[0], 1e-6);
            assertEquals(posterior(1)[0], mu[1], 1e-6);
            assertArrayEquals(m.reconstruct(tinyBatch()).toArray(),
                    m.reconstruct(tinyBatch()).toArray(), 0f);
            float[] rec = m.reconstruct(tinyBatch()).toArray();
            assertEquals(1 / (1 + Math.exp(-(posterior(0)[0] * W_DEC[0] + B_DEC[0]))), rec[0],
                    1e-6);
        }
    }

    @Test
    void samplesComeFromTheGivenGenerator() {
        try (Model m = Models.create("vae", ModelConfig.empty(), be, 7)) {
            VariationalAutoencoder vae = (VariationalAutoencoder) m;
            float[] a = vae.sample(3, null, new Rng(1)).toArray();
            assertArrayEquals(a, vae.sample(3, null, new Rng(1)).toArray(), 0f);
            assertEquals(3 * 784, a.length);
        }
    }

    @Test
    void evaluationBuildsNoGraphAndLeavesNoGradient() {
        try (VariationalAutoencoder m = tiny("vae", Map.of())) {
            m.encode(tinyBatch());
            m.sample(2, null, new Rng(1));
            m.logLikelihood(tinyBatch(), 3, new Rng(1));
            m.parameters().values().forEach(p -> assertNull(p.grad()));
        }
    }

    // ---------------------------------------------------------------- CVAE

    @Test
    void cvaeAppendsTheOneHotLabelToTheEncoderInputAndToZ() {
        try (Model m = Models.create("cvae", ModelConfig.of(Map.of("classes", 3)), be, 1)) {
            assertEquals(Shape.of(784 + 3, 400), m.parameters().get("encoder.0.weight").shape());
            assertEquals(Shape.of(20 + 3, 400), m.parameters().get("decoder.0.weight").shape());
            assertEquals(3, ((VariationalAutoencoder) m).numClasses());
        }
    }

    @Test
    void cvaeSamplesDependOnTheirLabels() {
        try (Model m = Models.create("cvae", ModelConfig.of(Map.of("classes", 3)), be, 1)) {
            VariationalAutoencoder cvae = (VariationalAutoencoder) m;
            float[] zero = cvae.sample(2, new int[] {0, 0}, new Rng(1)).toArray();
            float[] two = cvae.sample(2, new int[] {2, 2}, new Rng(1)).toArray();
            assertFalse(java.util.Arrays.equals(zero, two));
        }
    }

    @Test
    void cvaeWithoutLabelsIsAClearError() {
        try (Model m = Models.create("cvae", ModelConfig.empty(), be, 1)) {
            Batch unlabelled = new Batch(be.zeros(Shape.of(2, 784)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.loss(unlabelled, StepContext.training(0, new Rng(1))));
            assertTrue(e.getMessage().startsWith("cvae needs labels"), e.getMessage());
            Dataset data = Dataset.unlabelled("blank", new float[2 * 784], 784);
            e = assertThrows(IllegalArgumentException.class, () -> m.checkData(data));
            assertEquals("cvae needs labels; the data set 'blank' has none", e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> ((VariationalAutoencoder) m).sample(2, null, new Rng(1)));
        }
    }

    @Test
    void cvaeLabelsOutOfRangeAreAClearError() {
        try (Model m = Models.create("cvae", ModelConfig.of(Map.of("classes", 10)), be, 1)) {
            Batch batch = new Batch(be.zeros(Shape.of(2, 784)), new int[] {3, 12});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.loss(batch, StepContext.training(0, new Rng(1))));
            assertEquals("cvae: label 12 of example 1 is outside 0..9 (setting 'classes' = 10)",
                    e.getMessage());
            Dataset many = Dataset.of("many", new float[2 * 784], 784, new int[] {0, 11}, 12);
            e = assertThrows(IllegalArgumentException.class, () -> m.checkData(many));
            assertTrue(e.getMessage().contains("'many' has 12 classes"), e.getMessage());
        }
    }

    @Test
    void theUnconditionalVaeIgnoresLabels() {
        try (VariationalAutoencoder m = tiny("vae", Map.of())) {
            Batch labelled = new Batch(be.fromArray(X, 2, 2), new int[] {5, 7});
            assertEquals(m.loss(tinyBatch(), StepContext.training(0, new Rng(1))).values(),
                    m.loss(labelled, StepContext.training(0, new Rng(1))).values());
        }
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void aBatchOfTheWrongWidthIsAClearError() {
        try (Model m = Models.create("vae", ModelConfig.empty(), be, 1)) {
            Batch batch = new Batch(be.zeros(Shape.of(128, 100)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.loss(batch, StepContext.training(0, new Rng(1))));
            assertEquals("vae expects inputs of width 784 (setting 'input'), got batch (128x100)",
                    e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> ((VariationalAutoencoder) m).encode(batch));
            Dataset narrow = Dataset.unlabelled("narrow", new float[200], 100);
            e = assertThrows(IllegalArgumentException.class, () -> m.checkData(narrow));
            assertTrue(e.getMessage().contains("'narrow' has rows of 100 values"),
                    e.getMessage());
        }
    }

    @Test
    void latentCodesOfTheWrongWidthAreAClearError() {
        try (Model m = Models.create("vae", ModelConfig.empty(), be, 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ((VariationalAutoencoder) m).decode(be.zeros(Shape.of(2, 5)), null));
            assertTrue(e.getMessage().contains("width 20 (setting 'latent')"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> ((VariationalAutoencoder) m).logLikelihood(new Batch(
                            be.zeros(Shape.of(2, 784))), 0, new Rng(1)));
        }
    }
}
