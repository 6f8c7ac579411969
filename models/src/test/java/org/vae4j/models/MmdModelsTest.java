package org.vae4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vae4j.data.Batch;
import org.vae4j.model.Loss;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Models;
import org.vae4j.model.StepContext;
import org.vae4j.optim.Adam;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.TensorScope;

/** {@code wae} and {@code info-vae}: their objectives' terms, the conv variants, bad settings. */
class MmdModelsTest {

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

    private Model create(String type, Map<String, ?> settings) {
        return Models.create(type, ModelConfig.of(settings), be, 3);
    }

    private Map<String, Double> terms(Model m, Batch b) {
        Loss loss = m.loss(b, StepContext.training(0, new Rng(9)));
        return loss.values();
    }

    private Batch mlpBatch() {
        return new Batch(new Rng(2).uniform(be, Shape.of(8, 784), 0, 1));
    }

    @Test
    void waeIsReconstructionPlusLambdaMmdWithoutTheKl() {
        Map<String, Double> t = terms(create("wae", Map.of("lambda", 7.0, "hidden",
                List.of(32), "latent", 4)), mlpBatch());
        assertEquals(t.get("reconstruction") + 7 * t.get("mmd"), t.get("loss"), 1e-3);
        assertEquals(0, t.get("weighted-kl"), 0);
        assertTrue(t.get("kl") > 0, "the KL is still reported: " + t);
    }

    @Test
    void infoVaeWeighsTheKlByOneMinusAlphaAndTheMmdByAlphaPlusLambdaMinusOne() {
        Map<String, Double> t = terms(create("info-vae", Map.of("alpha", 0.25, "lambda", 3.0,
                "hidden", List.of(32), "latent", 4)), mlpBatch());
        assertEquals(t.get("reconstruction") + 0.75 * t.get("kl") + 2.25 * t.get("mmd"),
                t.get("loss"), 1e-3);
        // alpha = 0, lambda = 1: the plain VAE's loss, with the same draws of ε
        Map<String, Double> vae = terms(create("vae", Map.of("hidden", List.of(32), "latent",
                4)), mlpBatch());
        Map<String, Double> same = terms(create("info-vae", Map.of("alpha", 0.0, "lambda", 1.0,
                "hidden", List.of(32), "latent", 4)), mlpBatch());
        assertEquals(vae.get("loss"), same.get("loss"), 1e-4);
        assertEquals(0, same.get("loss") - same.get("reconstruction") - same.get("kl"), 1e-4);
    }

    @Test
    void theConvVariantsBuildAndLearnAFewSteps() {
        for (String type : List.of("wae", "info-vae")) {
            Map<String, Object> settings = new HashMap<>(Map.of("arch", "conv", "channels",
                    List.of(8, 16)));
            Model m = create(type, settings);
            assertEquals(16, m.config().getInt("latent", 0), "the conv VAE family's latent");
            Batch b = new Batch(new Rng(4).bernoulli(be, Shape.of(16, 1, 28, 28), 0.2));
            double first = 0;
            double last = 0;
            try (Adam adam = new Adam(m.parameters(), 3e-3)) {
                for (int step = 0; step < 8; step++) {
                    try (TensorScope s = be.newScope()) {
                        Loss loss = m.loss(b, StepContext.training(step, new Rng(step)));
                        double v = loss.values().get("loss");
                        adam.backwardAndStep(loss.total());
                        first = step == 0 ? v : first;
                        last = v;
                    }
                }
            }
            assertTrue(last < first, type + " conv: loss " + first + " -> " + last);
        }
    }

    @Test
    void badSettingsNameTheSettingAndTheRange() {
        String negative = assertThrows(IllegalArgumentException.class,
                () -> create("wae", Map.of("lambda", -1.0))).getMessage();
        assertTrue(negative.contains("'lambda'") && negative.contains(">= 0"), negative);
        String kernel = assertThrows(IllegalArgumentException.class,
                () -> create("wae", Map.of("mmd-kernel", "laplace"))).getMessage();
        assertTrue(kernel.contains("'mmd-kernel'") && kernel.contains("imq, rbf"), kernel);
        String alpha = assertThrows(IllegalArgumentException.class,
                () -> create("info-vae", Map.of("alpha", 1.5))).getMessage();
        assertTrue(alpha.contains("'alpha'") && alpha.contains("[0, 1]"), alpha);
        String small = assertThrows(IllegalArgumentException.class,
                () -> create("info-vae", Map.of("alpha", 0.0, "lambda", 0.5))).getMessage();
        assertEquals("info-vae: setting 'lambda' must be at least 1 - alpha = 1.0 (the MMD"
                + " weight alpha + lambda - 1 must be >= 0), got 0.5", small);
    }
}
