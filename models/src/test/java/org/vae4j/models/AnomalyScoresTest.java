package org.vae4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vae4j.anomaly.AnomalyScorer;
import org.vae4j.anomaly.ScoreOptions;
import org.vae4j.anomaly.Scores;
import org.vae4j.data.Batch;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Models;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.TensorScope;

/** Every built-in anomaly score against its formula on tiny models with hand-set weights. */
class AnomalyScoresTest {

    private static final double TOLERANCE = 1e-4;

    // VariationalAutoencoderTest's hand-set VAE 2 -> latent 1, no hidden layer, Bernoulli.
    private static final float[] X = VariationalAutoencoderTest.X;
    private static final double[][] W_ENC = VariationalAutoencoderTest.W_ENC;
    private static final double[] B_ENC = VariationalAutoencoderTest.B_ENC;
    private static final double[] W_DEC = VariationalAutoencoderTest.W_DEC;
    private static final double[] B_DEC = VariationalAutoencoderTest.B_DEC;

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

    private VariationalAutoencoder tinyVae() {
        return VariationalAutoencoderTest.tiny(be, "vae", Map.of());
    }

    private Batch batch() {
        return new Batch(be.fromArray(X, 2, 2));
    }

    private static double mu(int i) {
        return X[2 * i] * W_ENC[0][0] + X[2 * i + 1] * W_ENC[1][0] + B_ENC[0];
    }

    private static double logVar(int i) {
        return X[2 * i] * W_ENC[0][1] + X[2 * i + 1] * W_ENC[1][1] + B_ENC[1];
    }

    /** −log p(x_i | z) for the Bernoulli decoder: Σ_j softplus(l_j) − x_j l_j. */
    private static double nll(int i, double z) {
        double s = 0;
        for (int j = 0; j < 2; j++) {
            double l = z * W_DEC[j] + B_DEC[j];
            s += Math.log1p(Math.exp(l)) - X[2 * i + j] * l;
        }
        return s;
    }

    /** (1/L) Σ_l −log p(x_i | μ_i + σ_i ε_l), ε drawn as the model draws them: (n x 1) per l. */
    private static double[] reconstructionProbability(int draws, long seed) {
        Rng rng = new Rng(seed);
        double[] s = new double[2];
        for (int l = 0; l < draws; l++) {
            float[] eps = rng.normal(2, 0, 1);
            for (int i = 0; i < 2; i++) {
                s[i] += nll(i, mu(i) + Math.exp(0.5 * logVar(i)) * eps[i]) / draws;
            }
        }
        return s;
    }

    @Test
    void vaeReconstructionProbabilityIsTheMeanNegativeLogLikelihoodOverPosteriorDraws() {
        try (VariationalAutoencoder m = tinyVae()) {
            float[] got = m.score(Scores.RECONSTRUCTION_PROBABILITY, batch(),
                    new ScoreOptions(3, new Rng(7))).toArray();
            double[] expected = reconstructionProbability(3, 7);
            assertEquals(expected[0], got[0], TOLERANCE);
            assertEquals(expected[1], got[1], TOLERANCE);
        }
    }

    @Test
    void vaeElboScoreIsReconstructionProbabilityPlusTheAnalyticKl() {
        try (VariationalAutoencoder m = tinyVae()) {
            float[] got = m.score(Scores.ELBO, batch(), new ScoreOptions(4, new Rng(11)))
                    .toArray();
            double[] rec = reconstructionProbability(4, 11);
            for (int i = 0; i < 2; i++) {
                double kl = -0.5 * (1 + logVar(i) - mu(i) * mu(i) - Math.exp(logVar(i)));
                assertEquals(rec[i] + kl, got[i], TOLERANCE, "example " + i);
            }
        }
    }

    @Test
    void vaeIwNllIsTheNegatedImportanceWeightedEstimate() {
        try (VariationalAutoencoder m = tinyVae()) {
            float[] got = m.score(Scores.IW_NLL, batch(), new ScoreOptions(5, new Rng(2)))
                    .toArray();
            float[] ll = m.logLikelihood(batch(), 5, new Rng(2)).toArray();
            assertEquals(-ll[0], got[0], 1e-6);
            assertEquals(-ll[1], got[1], 1e-6);
            // with one draw it is −log p(x|z) − log p(z) + log q(z|x), by hand
            Rng rng = new Rng(5);
            float[] eps = rng.normal(2, 0, 1);
            float[] one = m.score(Scores.IW_NLL, batch(), new ScoreOptions(1, new Rng(5)))
                    .toArray();
            for (int i = 0; i < 2; i++) {
                double z = mu(i) + Math.exp(0.5 * logVar(i)) * eps[i];
                double logPz = -0.5 * (z * z + Math.log(2 * Math.PI));
                double logQz = -0.5 * (eps[i] * eps[i] + logVar(i) + Math.log(2 * Math.PI));
                assertEquals(nll(i, z) - logPz + logQz, one[i], TOLERANCE, "example " + i);
            }
        }
    }

    @Test
    void vaeReconstructionErrorUsesTheDecodedPosteriorMeanAndSplitsIntoFeatures() {
        try (VariationalAutoencoder m = tinyVae()) {
            ScoreOptions o = ScoreOptions.seeded(1);
            float[] got = m.score(Scores.RECONSTRUCTION_ERROR, batch(), o).toArray();
            float[] terms = m.contributions(Scores.RECONSTRUCTION_ERROR, batch(), o).toArray();
            for (int i = 0; i < 2; i++) {
                double sum = 0;
                for (int j = 0; j < 2; j++) {
                    double p = 1 / (1 + Math.exp(-(mu(i) * W_DEC[j] + B_DEC[j])));
                    double e = (p - X[2 * i + j]) * (p - X[2 * i + j]);
                    assertEquals(e, terms[2 * i + j], TOLERANCE);
                    sum += e;
                }
                assertEquals(sum, got[i], TOLERANCE);
            }
            assertTrue(m.hasContributions(Scores.RECONSTRUCTION_ERROR));
            assertTrue(!m.hasContributions(Scores.ELBO));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.contributions(Scores.ELBO, batch(), o));
            assertTrue(e.getMessage().contains("no per-feature contributions"), e.getMessage());
        }
    }

    @Test
    void scoresAreReproducibleFromTheSeed() {
        try (VariationalAutoencoder m = tinyVae()) {
            for (String name : m.scoreNames()) {
                assertArrayEquals(m.score(name, batch(), new ScoreOptions(3, new Rng(9)))
                        .toArray(), m.score(name, batch(), new ScoreOptions(3, new Rng(9)))
                        .toArray(), name);
            }
            assertEquals(Scores.ELBO, m.defaultScore());
        }
    }

    @Test
    void aeReconstructionErrorIsTheSquaredErrorSummedOverFeatures() {
        // 2 -> 1 -> 2, identity output: x̂ = (x·a + b)·c + d
        Map<String, Object> settings = Map.of("input", 2, "hidden", List.of(), "latent", 1,
                "output", "identity");
        try (Autoencoder m = (Autoencoder) Models.create("ae", ModelConfig.of(settings), be,
                4)) {
            m.parameters().get("encoder.0.weight").assign(new float[] {0.5f, -1f});
            m.parameters().get("encoder.0.bias").assign(new float[] {0.25f});
            m.parameters().get("decoder.0.weight").assign(new float[] {2f, 1f});
            m.parameters().get("decoder.0.bias").assign(new float[] {0f, -0.5f});
            float[] x = {1f, 0f, 0.2f, 0.6f};
            Batch b = new Batch(be.fromArray(x, 2, 2));
            ScoreOptions o = ScoreOptions.seeded(1);
            float[] got = m.score(Scores.RECONSTRUCTION_ERROR, b, o).toArray();
            float[] terms = m.contributions(Scores.RECONSTRUCTION_ERROR, b, o).toArray();
            for (int i = 0; i < 2; i++) {
                double z = x[2 * i] * 0.5 - x[2 * i + 1] + 0.25;
                double e0 = (2 * z - x[2 * i]) * (2 * z - x[2 * i]);
                double e1 = (z - 0.5 - x[2 * i + 1]) * (z - 0.5 - x[2 * i + 1]);
                assertEquals(e0, terms[2 * i], 1e-5);
                assertEquals(e1, terms[2 * i + 1], 1e-5);
                assertEquals(e0 + e1, got[i], 1e-5);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.score("elbo", b, o));
            assertEquals("ae has no score 'elbo'; it offers reconstruction-error", e.getMessage());
        }
    }

    @Test
    void vqVaeReconstructionErrorIsTheSquaredErrorOfTheQuantisedReconstruction() {
        try (VqVae m = (VqVae) Models.create("vq-vae", ModelConfig.of(Map.of("input", 6,
                "hidden", List.of(4), "positions", 2, "code-dim", 2, "codebook-size", 3)),
                be, 5)) {
            float[] x = {0.1f, 0.9f, 0.3f, 0.4f, 0f, 1f, 1f, 0.2f, 0.5f, 0.5f, 0.7f, 0f};
            Batch b = new Batch(be.fromArray(x, 2, 6));
            float[] xHat = m.reconstruct(b).toArray();
            AnomalyScorer scorer = m;
            float[] got = scorer.score(Scores.RECONSTRUCTION_ERROR, b, ScoreOptions.seeded(1))
                    .toArray();
            for (int i = 0; i < 2; i++) {
                double sum = 0;
                for (int j = 0; j < 6; j++) {
                    sum += Math.pow(xHat[6 * i + j] - x[6 * i + j], 2);
                }
                assertEquals(sum, got[i], 1e-5);
            }
            assertEquals(List.of(Scores.RECONSTRUCTION_ERROR), scorer.scoreNames());
        }
    }

    @Test
    void aScoreOfTheWrongShapeNamesBothShapes() {
        try (VariationalAutoencoder m = tinyVae()) {
            Batch wrong = new Batch(be.fromArray(new float[6], 2, 3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.score(Scores.ELBO, wrong, ScoreOptions.seeded(1)));
            assertTrue(e.getMessage().contains("3") && e.getMessage().contains("2"),
                    e.getMessage());
        }
    }
}
