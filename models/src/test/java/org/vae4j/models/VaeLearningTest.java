package org.vae4j.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vae4j.data.Batch;
import org.vae4j.data.Dataset;
import org.vae4j.model.Loss;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/**
 * The VAE and the β-VAE on real MNIST, each trained for 300 Adam steps (3 epochs of 10,000
 * images, batch 100) with the classic settings (784-400-20-400-784, ReLU, Bernoulli), and the
 * capacity-annealed β-VAE for 200 steps.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VaeLearningTest {

    /** Measured 139.8 nats per test image after 300 steps (PyTorch's first epoch of 469: 164). */
    private static final double VAE_MAX_TEST_LOSS = 150;
    /** Measured: VAE test KL 18.6 nats; β = 4 gives 5.6. */
    private static final double MAX_BETA_KL_FRACTION = 0.6;

    private VariationalAutoencoder vae;
    private VariationalAutoencoder betaVae;
    private Map<String, Double> vaeTest;
    private Map<String, Double> betaTest;

    @BeforeAll
    void train() {
        vae = (VariationalAutoencoder) MnistRuns.create("vae", Map.of(), 1);
        MnistRuns.shortRun(vae);
        vaeTest = MnistRuns.evaluate(vae);
        betaVae = (VariationalAutoencoder) MnistRuns.create("beta-vae", Map.of("beta", 4.0), 1);
        MnistRuns.shortRun(betaVae);
        betaTest = MnistRuns.evaluate(betaVae);
    }

    @AfterAll
    void close() {
        vae.close();
        betaVae.close();
    }

    @Test
    void vaeTestNegativeElboIsBelow150Nats() {
        double loss = vaeTest.get(Loss.TOTAL);
        assertTrue(loss < VAE_MAX_TEST_LOSS, "test negative ELBO " + loss + " nats");
        assertTrue(Math.abs(loss - vaeTest.get("reconstruction") - vaeTest.get("kl")) < 1e-3);
    }

    @Test
    void vaeUsesItsLatentCode() {
        // Measured: 18.6 nats. A collapsed posterior (q = prior) would give 0.
        assertTrue(vaeTest.get("kl") > 5, "test KL " + vaeTest.get("kl"));
    }

    @Test
    void vaeSamplesVaryAndLookLikeDigits() {
        try (TensorScope scope = MnistRuns.backend().newScope()) {
            float[] s = vae.sample(200, null, new Rng(11)).toArray();
            double meanStd = pixelStdAcrossSamples(s, 200, 784);
            double ink = 0;
            for (float v : s) {
                ink += v;
            }
            ink /= 200;
            System.out.printf("VAE samples: mean pixel std across samples %.3f, ink %.1f%n",
                    meanStd, ink);
            // Measured 0.097 (the samples are pixel means, so blurrier than data: real test
            // images give 0.184). Constant samples would give 0.
            assertTrue(meanStd > 0.05, "pixel std across samples " + meanStd);
            // Measured 95; MNIST images hold ≈ 103 units of ink (sum of pixel values), so blank
            // or saturated samples would be far off.
            assertTrue(ink > 60 && ink < 160, "ink per sample " + ink);
        }
    }

    static double pixelStdAcrossSamples(float[] s, int n, int d) {
        double total = 0;
        for (int j = 0; j < d; j++) {
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                sum += s[i * d + j];
                sq += s[i * d + j] * s[i * d + j];
            }
            double mean = sum / n;
            total += Math.sqrt(Math.max(0, sq / n - mean * mean));
        }
        return total / d;
    }

    @Test
    void importanceWeightingGivesATighterBoundThanTheElbo() {
        Dataset test = MnistRuns.test().take(500);
        try (TensorScope scope = MnistRuns.backend().newScope()) {
            Batch batch = new Batch(MnistRuns.backend().fromArray(test.rows(0, 500), 500, 784));
            Tensor iw = vae.logLikelihood(batch, 50, new Rng(5));
            double logLikelihood = 0;
            for (float v : iw.toArray()) {
                logLikelihood += v / 500;
            }
            double elbo = -MnistRuns.evaluate(vae).get(Loss.TOTAL);
            System.out.printf("VAE: log p(x) >= %.2f (K = 50) vs ELBO %.2f nats%n",
                    logLikelihood, elbo);
            assertTrue(logLikelihood > elbo, "IWAE " + logLikelihood + " vs ELBO " + elbo);
            assertTrue(logLikelihood < 0, "a log-likelihood of [0,1] images under a Bernoulli");
        }
    }

    @Test
    void betaVaeKlIsSmallerThanTheVaesAtEqualSteps() {
        double kl = betaTest.get("kl");
        assertTrue(kl < MAX_BETA_KL_FRACTION * vaeTest.get("kl"),
                "beta-VAE KL " + kl + " vs VAE KL " + vaeTest.get("kl"));
        assertTrue(kl > 0);
        assertTrue(betaTest.get("reconstruction") > vaeTest.get("reconstruction"),
                "the price of the tighter bottleneck is a worse reconstruction");
    }

    @Test
    void capacityAnnealedBetaVaeKeepsItsKlNearTheCapacity() {
        // C(t) reaches 10 nats at step 100 of 200; γ = 100 holds the KL there.
        try (VariationalAutoencoder m = (VariationalAutoencoder) MnistRuns.create("beta-vae",
                Map.of("objective", "capacity", "gamma", 100.0, "capacity-max", 10.0,
                        "capacity-steps", 100), 1)) {
            long steps = MnistRuns.fit(m, MnistRuns.train().take(MnistRuns.TRAIN_SUBSET), 2,
                    MnistRuns.BATCH, MnistRuns.LEARNING_RATE, 1).finalStep();
            Map<String, Double> test = MnistRuns.evaluate(m, steps);
            assertTrue(Math.abs(test.get("kl") - 10) < 2, "test KL " + test.get("kl")
                    + " nats vs capacity 10");
            assertTrue(List.of("kl", "weighted-kl", "capacity").stream()
                    .allMatch(test::containsKey));
        }
    }
}
