package org.vae4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vae4j.autodiff.NoGrad;
import org.vae4j.autodiff.Variable;
import org.vae4j.data.Batch;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Models;
import org.vae4j.model.StepContext;
import org.vae4j.nn.Parameter;
import org.vae4j.optim.Adam;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.TensorScope;

/** {@code iwae} and {@code vamp-vae}: their objectives against closed forms and their gradients. */
class IwaeVampTest {

    private static final double TOLERANCE = 1e-4;
    private static final float[] X = VariationalAutoencoderTest.X;
    private static final double[][] W_ENC = VariationalAutoencoderTest.W_ENC;
    private static final double[] B_ENC = VariationalAutoencoderTest.B_ENC;
    private static final float[] RAW_PSEUDO_INPUTS = {0.4f, -1.2f, -0.3f, 2.0f};

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

    private Batch tinyBatch() {
        return new Batch(be.fromArray(X, 2, 2));
    }

    private VariationalAutoencoder tinyVamp() {
        VariationalAutoencoder m = VariationalAutoencoderTest.tiny(be, "vamp-vae",
                Map.of("pseudo-inputs", 2));
        m.parameters().get("pseudo-inputs").assign(RAW_PSEUDO_INPUTS.clone());
        return m;
    }

    private static double mean(float[] v) {
        double sum = 0;
        for (float f : v) {
            sum += f;
        }
        return sum / v.length;
    }

    @Test
    void iwaeLossIsMinusTheMeanImportanceWeightedEstimateOfTheSameDraws() {
        try (VariationalAutoencoder m = VariationalAutoencoderTest.tiny(be, "iwae",
                Map.of("samples", 3))) {
            assertEquals(3, m.importanceSamples());
            double loss = m.loss(tinyBatch(), StepContext.training(0, new Rng(4))).values()
                    .get("loss");
            double estimate = mean(m.logLikelihood(tinyBatch(), 3, new Rng(4)).toArray());
            assertEquals(-estimate, loss, TOLERANCE);
        }
    }

    @Test
    void iwaeWithOneSampleIsTheElboWithTheKlEstimatedAtTheDraw() {
        try (VariationalAutoencoder m = VariationalAutoencoderTest.tiny(be, "iwae",
                Map.of("samples", 1))) {
            Map<String, Double> v = m.loss(tinyBatch(), StepContext.training(0, new Rng(8)))
                    .values();
            assertEquals(v.get("reconstruction") + v.get("kl"), v.get("loss"), TOLERANCE);
        }
    }

    @Test
    void moreTrainingSamplesGiveATighterBoundOnTheSameModel() {
        Map<String, Object> small = Map.of("input", 12, "hidden", List.of(8), "latent", 3);
        Batch batch = new Batch(new Rng(2).uniform(be, Shape.of(16, 12), 0, 1));
        double[] loss = new double[3];
        int[] k = {1, 10, 100};
        for (int i = 0; i < 3; i++) {
            Map<String, Object> s = new java.util.HashMap<>(small);
            s.put("samples", k[i]);
            try (Model m = Models.create("iwae", ModelConfig.of(s), be, 5);
                    NoGrad ignored = NoGrad.enter()) {
                loss[i] = m.loss(batch, StepContext.evaluation(0, new Rng(1))).values()
                        .get("loss");
            }
        }
        assertTrue(loss[0] > loss[1] && loss[1] > loss[2], java.util.Arrays.toString(loss));
    }

    /** [μ, log σ²] of the tiny encoder at input (x0, x1). */
    private static double[] posterior(double x0, double x1) {
        return new double[] {x0 * W_ENC[0][0] + x1 * W_ENC[1][0] + B_ENC[0],
            x0 * W_ENC[0][1] + x1 * W_ENC[1][1] + B_ENC[1]};
    }

    private static double sigmoid(double u) {
        return 1 / (1 + Math.exp(-u));
    }

    @Test
    void vampPriorIsTheMeanOfThePosteriorsAtTheSquashedPseudoInputs() {
        try (VariationalAutoencoder m = tinyVamp()) {
            assertEquals(2, m.pseudoInputCount());
            float[] z = {-0.7f, 0.2f, 1.9f};
            float[] got = m.prior().logDensity(Variable.constant(be, z, 3, 1)).toArray();
            for (int i = 0; i < z.length; i++) {
                double p = 0;
                for (int n = 0; n < 2; n++) {
                    double[] q = posterior(sigmoid(RAW_PSEUDO_INPUTS[2 * n]),
                            sigmoid(RAW_PSEUDO_INPUTS[2 * n + 1]));
                    double var = Math.exp(q[1]);
                    p += 0.5 * Math.exp(-0.5 * (z[i] - q[0]) * (z[i] - q[0]) / var)
                            / Math.sqrt(2 * Math.PI * var);
                }
                assertEquals(Math.log(p), got[i], TOLERANCE, "log p(z = " + z[i] + ")");
            }
        }
    }

    @Test
    void vampLossIsTheOneDrawEstimateOfTheNegativeElbo() {
        try (VariationalAutoencoder m = tinyVamp()) {
            Map<String, Double> v = m.loss(tinyBatch(), StepContext.training(0, new Rng(6)))
                    .values();
            double oneDraw = mean(m.logLikelihood(tinyBatch(), 1, new Rng(6)).toArray());
            assertEquals(-oneDraw, v.get("loss"), TOLERANCE);
            assertEquals(v.get("reconstruction") + v.get("kl"), v.get("loss"), TOLERANCE);
        }
    }

    @Test
    void vampSamplesPickComponentsWithTheGivenGenerator() {
        try (VariationalAutoencoder m = tinyVamp()) {
            float[] a = m.sample(6, null, new Rng(3)).toArray();
            assertArrayEquals(a, m.sample(6, null, new Rng(3)).toArray(), 0f);
            assertFalse(java.util.Arrays.equals(a, m.sample(6, null, new Rng(4)).toArray()));
            // the standard-normal VAE's samples of the same generator differ: another prior
            try (VariationalAutoencoder vae = VariationalAutoencoderTest.tiny(be, "vae",
                    Map.of())) {
                assertFalse(java.util.Arrays.equals(a, vae.sample(6, null, new Rng(3))
                        .toArray()));
            }
        }
    }

    @Test
    void iwaeGradientsMatchFiniteDifferences() {
        try (VariationalAutoencoder m = VariationalAutoencoderTest.tiny(be, "iwae",
                Map.of("samples", 4))) {
            checkGradients(m);
        }
    }

    @Test
    void vampGradientsMatchFiniteDifferencesIncludingThePseudoInputs() {
        try (VariationalAutoencoder m = tinyVamp()) {
            checkGradients(m);
            assertTrue(m.parameters().containsKey("pseudo-inputs"));
        }
    }

    /** Every parameter's gradient of the loss (fixed draws) against central differences. */
    private void checkGradients(VariationalAutoencoder m) {
        Batch batch = tinyBatch();
        m.zeroGrad();
        m.loss(batch, StepContext.training(0, new Rng(12))).total().backward();
        double step = 1e-2;
        for (var entry : m.parameters().entrySet()) {
            Parameter p = entry.getValue();
            float[] analytic = p.grad().toArray();
            float[] original = p.toArray();
            for (int j = 0; j < original.length; j++) {
                float[] plus = original.clone();
                float[] minus = original.clone();
                plus[j] += (float) step;
                minus[j] -= (float) step;
                p.assign(plus);
                double fp = lossAt(m, batch);
                p.assign(minus);
                double fm = lossAt(m, batch);
                p.assign(original.clone());
                double numeric = (fp - fm) / (2 * step);
                assertEquals(numeric, analytic[j], 2e-3 + 1e-2 * Math.abs(numeric),
                        "d loss / d " + entry.getKey() + "[" + j + "]");
            }
        }
    }

    private static double lossAt(Model m, Batch batch) {
        try (TensorScope s = m.backend().newScope(); NoGrad ignored = NoGrad.enter()) {
            return m.loss(batch, StepContext.training(0, new Rng(12))).values().get("loss");
        }
    }

    @Test
    void convConfigurationsBuildAndLearnAFewSteps() {
        for (String type : List.of("iwae", "vamp-vae")) {
            Map<String, Object> settings = new java.util.HashMap<>(Map.of("arch", "conv",
                    "image", List.of(1, 12, 12), "channels", List.of(4, 8), "latent", 4));
            settings.put(type.equals("iwae") ? "samples" : "pseudo-inputs", type.equals("iwae")
                    ? 2 : 5);
            Model m = Models.create(type, ModelConfig.of(settings), be, 7);
            Batch b = new Batch(new Rng(11).bernoulli(be, Shape.of(8, 1, 12, 12), 0.3));
            double first = 0;
            double last = 0;
            try (Adam adam = new Adam(m.parameters(), 1e-2)) {
                for (int step = 0; step < 20; step++) {
                    try (TensorScope s = be.newScope()) {
                        var loss = m.loss(b, StepContext.training(step, new Rng(step)));
                        double v = loss.values().get("loss");
                        adam.backwardAndStep(loss.total());
                        first = step == 0 ? v : first;
                        last = v;
                    }
                }
            }
            assertTrue(last < first, type + ": loss " + first + " -> " + last);
            m.close();
        }
    }

    @Test
    void fewerThanOneSampleOrPseudoInputIsOneClearError() {
        for (int bad : new int[] {0, -3}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Models.create("iwae",
                    ModelConfig.of(Map.of("samples", bad)), be, 1));
            assertEquals("iwae: setting 'samples' must be a positive whole number, got " + bad,
                    e.getMessage());
            var v = assertThrows(IllegalArgumentException.class, () -> Models.create("vamp-vae",
                    ModelConfig.of(Map.of("pseudo-inputs", bad)), be, 1));
            assertEquals("vamp-vae: setting 'pseudo-inputs' must be a positive whole number,"
                    + " got " + bad, v.getMessage());
        }
    }
}
