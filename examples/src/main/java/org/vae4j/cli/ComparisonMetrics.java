package org.vae4j.cli;

import java.io.PrintWriter;
import java.util.Map;
import org.vae4j.data.DataLoader;
import org.vae4j.data.Dataset;
import org.vae4j.model.Encoder;
import org.vae4j.model.Generator;
import org.vae4j.model.LikelihoodEstimator;
import org.vae4j.model.Model;
import org.vae4j.model.Reconstructor;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.TensorScope;
import org.vae4j.train.Evaluator;

/**
 * The figures of one row of {@code vae4j compare}, each computed through the capability the
 * model has ({@link Reconstructor}, {@link LikelihoodEstimator}, {@link Generator},
 * {@link Encoder}) and null where it has not: so a new model type gets its row without any
 * change here.
 */
final class ComparisonMetrics {

    /** The per-dimension variance of {@code E_q[z_d]} over the data above which a unit is active. */
    static final double ACTIVE_UNIT_THRESHOLD = 0.01;

    private static final int BATCH = 500;

    private ComparisonMetrics() {
    }

    /**
     * The figures of a trained model: {@code squaredError} per example of {@code reconstruct()},
     * {@code negativeElbo} (the one-sample estimate, K = 1) and {@code iwNll} (K =
     * {@code iwSamples}) in nats, the {@code sampleQuality} pass rate of {@code draws} samples
     * and the {@code classesCovered} by those that pass,
     * {@code kl} (the loss's KL term) and {@code activeUnits} of a Gaussian-posterior model.
     */
    record Figures(Double squaredError, Double negativeElbo, Double iwNll, Double sampleQuality,
            Integer classesCovered, Double kl, Integer activeUnits, Integer latent) {
    }

    static Figures of(Model model, Dataset test, SampleQuality quality, int iwSamples,
            int draws, long seed, PrintWriter progress) {
        Backend b = model.backend();
        Double squaredError = model instanceof Reconstructor r
                ? EvalCommand.squaredError(model, r, test) : null;
        Double negativeElbo = null;
        Double iwNll = null;
        if (model instanceof LikelihoodEstimator e) {
            negativeElbo = EvalCommand.iwNll(e, b, test, 1, seed, progress);
            iwNll = iwSamples > 0 ? EvalCommand.iwNll(e, b, test, iwSamples, seed, progress)
                    : null;
        }
        Double sampleQuality = null;
        Integer classesCovered = null;
        if (model instanceof Generator g && quality != null) {
            SampleQuality.Result check = quality.check(samples(g, b, draws, seed),
                    test.features());
            sampleQuality = check.passRate();
            classesCovered = check.classesCovered();
        }
        // a KL term in the loss marks a posterior q(z|x) whose mean encode() gives
        Map<String, Double> terms = new Evaluator(seed).evaluate(model, test, BATCH);
        Double kl = terms.get("kl");
        Integer activeUnits = model instanceof Encoder enc && kl != null
                ? activeUnits(enc, b, test) : null;
        Integer latent = model instanceof Encoder enc ? enc.latentSize() : null;
        return new Figures(squaredError, negativeElbo, iwNll, sampleQuality, classesCovered, kl,
                activeUnits, latent);
    }

    /** {@code n} draws from the prior; a conditional model's labels cycle through its classes. */
    static float[] samples(Generator g, Backend b, int n, long seed) {
        int[] labels = null;
        if (g.numClasses() > 0) {
            labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = i % g.numClasses();
            }
        }
        try (TensorScope scope = b.newScope()) {
            return g.sample(n, labels, new Rng(seed)).toArray();
        }
    }

    /**
     * Burda et al.'s active units: the latent dimensions {@code d} with
     * {@code Cov_x(E_q[z_d | x]) > 0.01} over {@code data}.
     */
    static int activeUnits(Encoder encoder, Backend b, Dataset data) {
        int k = encoder.latentSize();
        double[] sum = new double[k];
        double[] sumSq = new double[k];
        long n = 0;
        try (DataLoader loader = DataLoader.builder(data, b).setBatchSize(BATCH).build()) {
            for (int i = 0; i < loader.batchesPerEpoch(); i++) {
                try (TensorScope scope = b.newScope()) {
                    float[] z = encoder.encode(loader.batch(0, i)).toArray();
                    for (int at = 0; at < z.length; at++) {
                        sum[at % k] += z[at];
                        sumSq[at % k] += (double) z[at] * z[at];
                    }
                    n += z.length / k;
                }
            }
        }
        int active = 0;
        for (int d = 0; d < k; d++) {
            double mean = sum[d] / n;
            double variance = sumSq[d] / n - mean * mean;
            active += variance > ACTIVE_UNIT_THRESHOLD ? 1 : 0;
        }
        return active;
    }
}
