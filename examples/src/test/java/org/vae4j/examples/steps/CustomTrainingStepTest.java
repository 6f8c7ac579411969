package org.vae4j.examples.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vae4j.data.Dataset;
import org.vae4j.model.Loss;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Models;
import org.vae4j.optim.Adam;
import org.vae4j.optim.GradientClipping;
import org.vae4j.optim.LearningRateSchedule;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.train.Optimizers;
import org.vae4j.train.Trainer;
import org.vae4j.train.TrainingResult;
import org.vae4j.train.TrainingStep;

/**
 * The README's "custom training step" example, compiled and run: the block between the {@code
 * README} markers below must appear in README.md as it is here.
 */
class CustomTrainingStepTest {

    private static final Path SOURCE = Path.of("src/test/java/org/vae4j/examples/steps",
            "CustomTrainingStepTest.java");
    private static final Path README = Path.of("..", "README.md");

    @Test
    void theReadmeExampleTrainsWithTwoAlternatingOptimizers() {
        Backend backend = Backends.get("ejml");
        Dataset data = Dataset.unlabelled("noise", new Rng(1).uniform(64 * 12, 0, 1), 12);
        try (Model model = Models.create("ae", ModelConfig.of(Map.of("input", 12, "hidden",
                List.of(8), "latent", 2)), backend, 1L)) {
            // README:begin
            // The encoder and the decoder take turns, each with its own optimizer and rate.
            Adam encoder = new Adam(Optimizers.select(model.parameters(), "encoder"), 1e-3);
            Adam decoder = new Adam(Optimizers.select(model.parameters(), "decoder"), 3e-3);
            decoder.setGradientClipping(GradientClipping.byNorm(1.0));
            decoder.setSchedule(LearningRateSchedule.warmup(2, LearningRateSchedule.constant()));
            Optimizers optimizers = Optimizers.builder()
                    .add("encoder", encoder).add("decoder", decoder).build();
            TrainingStep alternating = step -> {
                Loss loss = step.computeLoss();              // model.loss in training mode
                step.minimize(loss.total(), step.step() % 2 == 0 ? "encoder" : "decoder");
                return loss;                                 // logged, and given to afterStep
            };
            TrainingResult result = Trainer.builder()
                    .setModel(model).setOptimizers(optimizers).optTrainingStep(alternating)
                    .setTrainData(data).optBatchSize(16).optEpochs(2)
                    .build().fit();
            // README:end
            assertEquals(8, result.finalStep());
            assertEquals(4, encoder.stepCount());
            assertEquals(4, decoder.stepCount());
            assertTrue(Double.isFinite(result.lastEpoch().train().get(Loss.TOTAL)));
            encoder.close();
            decoder.close();
        }
    }

    @Test
    void theReadmeShowsTheExampleAsItIsCompiledHere() throws IOException {
        List<String> lines = Files.readAllLines(SOURCE);
        int begin = lines.indexOf("            // README:begin");
        int end = lines.indexOf("            // README:end");
        assertTrue(begin > 0 && end > begin, "the README markers in " + SOURCE);
        StringBuilder block = new StringBuilder();
        for (String line : lines.subList(begin + 1, end)) {
            block.append(line.length() >= 12 ? line.substring(12) : line.strip()).append('\n');
        }
        String readme = Files.readString(README);
        assertTrue(readme.contains(block), "README.md should show, as it is here:\n" + block);
    }
}
