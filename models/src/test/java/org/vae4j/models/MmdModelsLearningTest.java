package org.vae4j.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.vae4j.data.Batch;
import org.vae4j.data.Dataset;
import org.vae4j.random.Rng;
import org.vae4j.tensor.TensorScope;

/**
 * {@code wae} and {@code info-vae} on real MNIST, side by side with the plain {@code vae}: the
 * same seed, data, architecture (784-400-20) and budget.
 *
 * <ul>
 *   <li>WAE (Tolstikhin et al., 2018): matching the aggregate posterior to the prior with the MMD
 *       makes decoded prior draws look like digits. Checked with the nearest-class-mean test of
 *       {@link ConvVqVaeLearningTest}: the share of 200 samples from {@code N(0, I)} whose
 *       nearest class mean (fitted on the test split) is as close as it is for 90% of the real
 *       test images, and how many digit classes the samples' nearest means cover.</li>
 *   <li>InfoVAE (Zhao et al., 2019): the paper's claim is that the ELBO's per-example KL lets
 *       the posterior ignore the input, and that InfoVAE, with that term dropped (α = 1) and only
 *       the aggregate posterior matched, keeps more information about x in z. Checked as a lower
 *       test squared reconstruction error than the VAE's, with at least as many active units
 *       (Burda et al.: latent dimensions whose posterior mean varies over the data,
 *       {@code Var_x E[z_d | x] > 0.01}) and prior samples still digit-like. (After 150 steps the
 *       VAE still uses all 20 units, so the active units tie there.)</li>
 * </ul>
 */
class MmdModelsLearningTest {

    /** Test images the metrics are computed on. */
    private static final int METRIC_IMAGES = 1000;
    /** Training images of the short run (3 epochs, batch 100: 150 steps). */
    private static final int SHORT_IMAGES = 5000;
    /** Samples from the prior in the sample-quality check. */
    private static final int SAMPLES = 200;

    /** The figures of one trained model. */
    record Figures(String model, double squaredError, int activeUnits, double digitLike,
            int classes) {

        @Override
        public String toString() {
            return String.format("%-8s squared error %.2f per image, %2d active units,"
                    + " %5.1f%% of prior samples digit-like, %2d classes covered", model,
                    squaredError, activeUnits, 100 * digitLike, classes);
        }
    }

    @Test
    void shortRunWaeSamplesAreDigitsAndInfoVaeUsesMoreOfItsLatent() {
        compare(SHORT_IMAGES, MnistRuns.EPOCHS, 0.6, 0.6);
    }

    @Test
    @Tag("long")
    void longRunWaeSamplesAreDigitsAndInfoVaeUsesMoreOfItsLatent() {
        compare(MnistRuns.TRAIN_SUBSET, 20, 0.7, 0.6);
    }

    private static void compare(int images, int epochs, double waeDigitLike,
            double infoDigitLike) {
        Figures vae = run("vae", Map.of(), images, epochs);
        Figures wae = run("wae", Map.of(), images, epochs);
        Figures info = run("info-vae", Map.of(), images, epochs);
        System.out.printf("after %d epochs of %d images:%n  %s%n  %s%n  %s%n", epochs,
                images, vae, wae, info);
        assertTrue(wae.digitLike() >= waeDigitLike, "wae: " + wae);
        assertTrue(wae.classes() >= 8, "wae: " + wae);
        assertTrue(info.activeUnits() >= vae.activeUnits(), info + " vs " + vae);
        assertTrue(info.squaredError() < vae.squaredError(), info + " vs " + vae);
        assertTrue(info.digitLike() >= infoDigitLike, "info-vae: " + info);
    }

    private static Figures run(String type, Map<String, ?> settings, int images, int epochs) {
        try (VariationalAutoencoder m = (VariationalAutoencoder) MnistRuns.create(type, settings,
                1)) {
            MnistRuns.fit(m, MnistRuns.train().take(images), epochs,
                    MnistRuns.BATCH, MnistRuns.LEARNING_RATE, 1);
            Dataset test = MnistRuns.test();
            try (TensorScope scope = MnistRuns.backend().newScope()) {
                Batch batch = new Batch(MnistRuns.backend().fromArray(
                        test.rows(0, METRIC_IMAGES), METRIC_IMAGES, 784));
                float[] x = test.rows(0, METRIC_IMAGES);
                float[] xHat = m.reconstruct(batch).toArray();
                double se = 0;
                for (int i = 0; i < x.length; i++) {
                    se += (x[i] - xHat[i]) * (double) (x[i] - xHat[i]);
                }
                int active = activeUnits(m.encode(batch).toArray(), METRIC_IMAGES,
                        m.latentSize());
                float[] samples = m.sample(SAMPLES, null, new Rng(13)).toArray();
                double[] quality = sampleQuality(samples, test);
                return new Figures(type, se / METRIC_IMAGES, active, quality[0],
                        (int) quality[1]);
            }
        }
    }

    /** The latent dimensions whose posterior mean has variance above 0.01 over the images. */
    static int activeUnits(float[] mu, int n, int latent) {
        int active = 0;
        for (int d = 0; d < latent; d++) {
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < n; i++) {
                double v = mu[i * latent + d];
                sum += v;
                sumSq += v * v;
            }
            double mean = sum / n;
            active += sumSq / n - mean * mean > 0.01 ? 1 : 0;
        }
        return active;
    }

    /**
     * The share of {@code samples} as close to their nearest class mean as 90% of the real test
     * images are, and the number of classes their nearest means cover.
     */
    static double[] sampleQuality(float[] samples, Dataset test) {
        double[][] means = CvaeLearningTest.classMeans(test);
        float[] real = test.rows(0, test.size());
        double[] realD = new double[test.size()];
        for (int i = 0; i < test.size(); i++) {
            realD[i] = CvaeLearningTest.nearestDistance(means, real, i * 784);
        }
        Arrays.sort(realD);
        double typical = realD[(int) (0.9 * realD.length)];
        int n = samples.length / 784;
        boolean[] classes = new boolean[10];
        int close = 0;
        for (int i = 0; i < n; i++) {
            classes[CvaeLearningTest.nearestMean(means, samples, i * 784)] = true;
            close += CvaeLearningTest.nearestDistance(means, samples, i * 784) <= typical ? 1 : 0;
        }
        int covered = 0;
        for (boolean c : classes) {
            covered += c ? 1 : 0;
        }
        return new double[] {close / (double) n, covered};
    }
}
