package org.vae4j.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.vae4j.data.Batch;
import org.vae4j.data.Dataset;
import org.vae4j.model.LikelihoodEstimator;
import org.vae4j.model.Model;
import org.vae4j.random.Rng;
import org.vae4j.tensor.TensorScope;

/**
 * The iwae and the vamp-vae side by side with the plain vae on real MNIST: the same data, seed,
 * architecture (784-400-20-400-784) and number of Adam steps, judged by the test negative
 * log-likelihood of the importance-weighted estimate with the same K for all three.
 */
class IwaeVampLearningTest {

    /** Draws of the importance-weighted estimate at evaluation, the same for every model. */
    private static final int EVAL_SAMPLES = 20;

    /** The short run: 2 epochs of 3,000 images (60 steps of 100), NLL on 300 test images. */
    @Test
    void iwaeAndVampPriorBeatTheVaesTestNllInAShortRun() {
        compare(3_000, 2, 300, 5, 100);
    }

    /** 10 epochs of 10,000 images (1,000 steps), NLL on 2,000 test images, N = 500. */
    @Test
    @Tag("long")
    void iwaeAndVampPriorBeatTheVaesTestNllAfterAThousandSteps() {
        compare(MnistRuns.TRAIN_SUBSET, 10, 2_000, 5, 500);
    }

    private static void compare(int images, int epochs, int testImages, int k, int pseudo) {
        Dataset train = MnistRuns.train().take(images);
        Dataset test = MnistRuns.test().take(testImages);
        double vae = trainedNll("vae", Map.of(), train, epochs, test);
        double iwae = trainedNll("iwae", Map.of("samples", k), train, epochs, test);
        double vamp = trainedNll("vamp-vae", Map.of("pseudo-inputs", pseudo), train, epochs, test);
        System.out.printf("test IW-NLL (K = %d, %d images) after %d epochs of %d: vae %.2f,"
                + " iwae (K = %d) %.2f, vamp-vae (N = %d) %.2f nats%n", EVAL_SAMPLES,
                testImages, epochs, images, vae, k, iwae, pseudo, vamp);
        assertTrue(iwae < vae, "iwae " + iwae + " vs vae " + vae + " nats");
        assertTrue(vamp < vae, "vamp-vae " + vamp + " vs vae " + vae + " nats");
    }

    private static double trainedNll(String type, Map<String, ?> settings, Dataset train,
            int epochs, Dataset test) {
        try (Model m = MnistRuns.create(type, settings, 1)) {
            MnistRuns.fit(m, train, epochs, MnistRuns.BATCH, MnistRuns.LEARNING_RATE, 1);
            return testNll((LikelihoodEstimator) m, test);
        }
    }

    /** {@code −(1/n) Σ_i log p̂(x_i)}, the estimate with {@link #EVAL_SAMPLES} draws. */
    static double testNll(LikelihoodEstimator m, Dataset test) {
        double sum = 0;
        int batch = 100;
        Rng rng = new Rng(5);
        for (int from = 0; from < test.size(); from += batch) {
            int to = Math.min(test.size(), from + batch);
            try (TensorScope scope = MnistRuns.backend().newScope()) {
                Batch b = new Batch(MnistRuns.backend().fromArray(test.rows(from, to),
                        to - from, test.features()));
                for (float v : m.logLikelihood(b, EVAL_SAMPLES, rng).toArray()) {
                    sum -= v;
                }
            }
        }
        return sum / test.size();
    }
}
