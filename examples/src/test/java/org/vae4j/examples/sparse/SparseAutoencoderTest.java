package org.vae4j.examples.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vae4j.data.Dataset;
import org.vae4j.data.Mnist;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelProvider;
import org.vae4j.model.Models;
import org.vae4j.optim.Adam;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.train.Trainer;
import org.vae4j.train.TrainingResult;

class SparseAutoencoderTest {

    private final Backend backend = Backends.get("ejml");

    @Test
    void theRegistryFindsAModelDefinedOutsideTheModelsModule() {
        assertTrue(Models.list().stream().map(ModelProvider::name).anyMatch("sparse-ae"::equals));
        try (Model m = Models.create("sparse-ae", ModelConfig.empty(), backend, 1L)) {
            assertTrue(m instanceof SparseAutoencoder);
            assertEquals(784, m.inputSize());
        }
    }

    @Test
    void badSettingsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Models.create("sparse-ae", ModelConfig.of(Map.of("sparsity", -1)), backend, 1L));
        assertTrue(e.getMessage().contains("'sparsity'"), e.getMessage());
    }

    /**
     * Trained by the ordinary trainer on 5,000 MNIST digits for 4 epochs: it learns to
     * reconstruct (squared error per test image 23.6 measured; predicting the mean image gives
     * 52.7), and λ = 0.05 makes the code's L1 norm about a third of the unpenalised model's
     * (25 against 79 measured).
     */
    @Test
    void trainsThroughTheOrdinaryTrainerAndThePenaltyMakesTheCodeSparser() throws IOException {
        Dataset train = Mnist.train().take(5_000);
        Dataset test = Mnist.test().take(500);
        Result plain = fit(train, test, 1e-9);
        Result sparse = fit(train, test, 0.05);
        assertTrue(sparse.reconstruction() < 30,
                "reconstruction error per image " + sparse.reconstruction());
        assertTrue(sparse.codeL1() < 0.5 * plain.codeL1(), "L1 norm of the code with the penalty ("
                + sparse.codeL1() + ") should be well below without it (" + plain.codeL1() + ")");
    }

    /** Test reconstruction error per image and the code's mean L1 norm. */
    record Result(double reconstruction, double codeL1) {
    }

    private Result fit(Dataset train, Dataset test, double sparsity) {
        ModelConfig config = ModelConfig.of(Map.of("hidden", List.of(128), "latent", 32,
                "sparsity", sparsity));
        try (Model model = Models.create("sparse-ae", config, backend, 7L);
                Adam adam = new Adam(model.parameters(), 3e-3)) {
            TrainingResult r = Trainer.builder().setModel(model).setOptimizer(adam)
                    .setTrainData(train).optTestData(test).optBatchSize(64).optEpochs(4)
                    .optSeed(7).build().fit();
            Map<String, Double> t = r.finalTest();
            return new Result(t.get("reconstruction"), t.get("sparsity") / sparsity);
        }
    }
}
