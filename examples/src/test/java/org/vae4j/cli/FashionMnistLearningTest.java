package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classic VAE (784-400-20, Bernoulli likelihood) learns Fashion-MNIST through the program:
 * one epoch on the whole training set takes the test negative ELBO to 262.4 nats per image
 * (measured on tensorflow, seed 1); the test asks for below 270.
 */
class FashionMnistLearningTest {

    /** The bound on the test negative ELBO after one epoch, nats per image. */
    static final double AFTER_ONE_EPOCH = 270;

    @TempDir
    Path tmp;

    @Test
    void oneEpochTakesTheTestNegativeElboBelowTheStatedBound() throws Exception {
        Path run = tmp.resolve("run");
        Cli.Run r = Cli.run("train", "--data", "fashion-mnist", "--epochs", "1", "--backend",
                "tensorflow", "--out", run.toString());
        Cli.assertOk(r);
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        List<String> header = List.of(metrics.get(0).split(","));
        String[] last = metrics.get(metrics.size() - 1).split(",");
        double testLoss = Double.parseDouble(last[header.indexOf("test_loss")]);
        assertTrue(testLoss < AFTER_ONE_EPOCH, "test negative ELBO " + testLoss + " nats, expected"
                + " below " + AFTER_ONE_EPOCH);
        assertTrue(testLoss > 100, "implausibly low: " + testLoss);
    }
}
