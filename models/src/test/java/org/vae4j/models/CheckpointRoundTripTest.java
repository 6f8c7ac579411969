package org.vae4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vae4j.data.Batch;
import org.vae4j.data.DataLoader;
import org.vae4j.data.Dataset;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Models;
import org.vae4j.model.StepContext;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.TensorScope;
import org.vae4j.train.Checkpoint;
import org.vae4j.train.ModelWeights;

/** Every model saves and reloads by name and config, buffers (VQ-VAE's codebook state) too. */
class CheckpointRoundTripTest {

    private final Backend be = Backends.get("ejml");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"ae", "dae", "vae", "cvae", "beta-vae", "vq-vae"})
    void aSavedModelReloadsWithTheSameStateAndLoss(String type) throws IOException {
        Map<String, Object> settings = Map.of("hidden", List.of(16), "input", 12);
        try (Model m = Models.create(type, ModelConfig.of(settings), be, 3);
             TensorScope scope = be.newScope()) {
            Path file = dir.resolve(type + ".safetensors");
            ModelWeights.save(file, m);
            try (Model loaded = Checkpoint.loadModel(file, be)) {
                assertEquals(m.config(), loaded.config());
                assertEquals(m.state().keySet(), loaded.state().keySet());
                m.state().forEach((k, p) -> assertArrayEquals(p.toArray(),
                        loaded.state().get(k).toArray(), 0f, k));
                Batch batch = new Batch(new Rng(1).uniform(be, Shape.of(4, 12), 0, 1),
                        new int[] {0, 1, 2, 3});
                assertEquals(m.loss(batch, StepContext.training(0, new Rng(2))).values(),
                        loaded.loss(batch, StepContext.training(0, new Rng(2))).values());
            }
        }
    }

    @Test
    void theEmaCodebookAndTheFittedPriorSurviveACheckpoint() throws IOException {
        Map<String, Object> settings = Map.of("hidden", List.of(16), "input", 12, "ema", true,
                "positions", 2, "code-dim", 3, "codebook-size", 8);
        try (VqVae m = (VqVae) Models.create("vq-vae", ModelConfig.of(settings), be, 3);
             TensorScope scope = be.newScope()) {
            Batch batch = new Batch(new Rng(1).uniform(be, Shape.of(4, 12), 0, 1));
            StepContext ctx = StepContext.training(0, new Rng(2));
            m.afterStep(batch, m.loss(batch, ctx), ctx);
            Dataset data = Dataset.unlabelled("d", new Rng(4).uniform(40 * 12, 0, 1), 12);
            try (DataLoader loader = DataLoader.builder(data, be).setBatchSize(10).build()) {
                m.fitPrior(loader);
            }
            Path file = dir.resolve("vq.safetensors");
            ModelWeights.save(file, m);
            try (VqVae loaded = (VqVae) Checkpoint.loadModel(file, be)) {
                for (String name : List.of("codebook.embedding", "codebook.ema_count",
                        "codebook.ema_sum", "codebook.idle_steps", "prior")) {
                    assertArrayEquals(m.state().get(name).toArray(),
                            loaded.state().get(name).toArray(), 0f, name);
                }
                assertArrayEquals(m.sample(5, null, new Rng(9)).toArray(),
                        loaded.sample(5, null, new Rng(9)).toArray(), 0f);
            }
        }
    }

    @Test
    void weightsOfTheOtherArchitectureAreOneErrorNamingBoth() throws IOException {
        Path file = dir.resolve("mlp.safetensors");
        try (Model mlp = Models.create("vae", ModelConfig.of(Map.of()), be, 1);
                Model conv = Models.create("vae", ModelConfig.of(Map.of("arch", "conv")), be, 1)) {
            ModelWeights.save(file, mlp);
            var e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> ModelWeights.load(file, conv));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(
                    "holds the parameters of the mlp architecture"), e.getMessage());
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(
                    "has the conv architecture (convolution weight encoder."), e.getMessage());
        }
    }
}
