package org.vae4j.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vae4j.data.Dataset;
import org.vae4j.data.Mnist;
import org.vae4j.model.Loss;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Models;
import org.vae4j.optim.Adam;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.train.Evaluator;
import org.vae4j.train.Trainer;

/**
 * The reference conv VAE (two stride-2 convolutions, latent 16, Bernoulli likelihood) against the
 * classic MLP VAE (784-400-20) on real MNIST, each trained the same way: one epoch over the
 * 60,000 training images, batch 128, Adam 1e-3, seed 1, on tensorflow; judged by the negative
 * ELBO over the whole test split. Measured: conv 119.2, MLP 125.9 nats per image (after two
 * epochs over the first 10,000 images the conv VAE is still behind, 178.9 against 159.9: it
 * starts slower and overtakes within the first full epoch). The test asks for the conv VAE to
 * be at least 3 nats better.
 */
class ConvVaeLearningTest {

    private static final int TRAIN = 60_000;
    private static final int EPOCHS = 1;
    private static final int BATCH = 128;
    /** How much lower the conv VAE's test negative ELBO must be, nats per image. */
    private static final double MARGIN = 3;

    @Test
    void convVaeIsClearlyBetterThanTheMlpVaeAfterTheSameRun() throws IOException {
        Backend backend = Backends.get("tensorflow");
        Dataset train = Mnist.train().take(TRAIN);
        Dataset test = Mnist.test();
        double mlp = testLoss(backend, Map.of(), train, test);
        double conv = testLoss(backend, Map.of("arch", "conv"), train.asImages(), test.asImages());
        System.out.printf("test negative ELBO after %d epochs of %d images: conv %.1f, mlp %.1f%n",
                EPOCHS, TRAIN, conv, mlp);
        assertTrue(conv < mlp - MARGIN, "conv VAE " + conv + " nats, MLP VAE " + mlp
                + " nats: expected the conv VAE at least " + MARGIN + " nats lower");
        assertTrue(conv > 60, "implausibly low: " + conv);
    }

    private static double testLoss(Backend backend, Map<String, ?> settings, Dataset train,
            Dataset test) {
        try (Model model = Models.create("vae", ModelConfig.of(settings), backend, 1)) {
            model.checkData(train);
            try (Adam adam = new Adam(model.parameters(), 1e-3)) {
                Trainer.builder().setModel(model).setOptimizer(adam).setTrainData(train)
                        .optBatchSize(BATCH).optEpochs(EPOCHS).optSeed(1).build().fit();
            }
            Map<String, Double> values = new Evaluator(7).evaluate(model, test, 500);
            assertEquals(values.get(Loss.TOTAL), values.get("reconstruction") + values.get("kl"),
                    1e-3);
            return values.get(Loss.TOTAL);
        }
    }
}
