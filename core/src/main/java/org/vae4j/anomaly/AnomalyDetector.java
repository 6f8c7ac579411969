package org.vae4j.anomaly;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.vae4j.data.Batch;
import org.vae4j.data.DataLoader;
import org.vae4j.model.Model;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;
import org.vae4j.train.Checkpoint;

/**
 * An anomaly detector over a trained model, in the style of PyOD's detectors: {@link #fit}
 * calibrates the threshold on normal data, {@link #score} gives one score per example (higher is
 * more anomalous, PyOD's {@code decision_function}), {@link #predict} flags the examples above
 * {@link #threshold()}. Plain Java: no CLI, no Guice.
 *
 * <pre>{@code
 * try (AnomalyDetector detector = AnomalyDetector.fromRun(Path.of("runs/ae-1"), backend)) {
 *     detector.fit(normalLoader);                 // threshold: 95 % quantile of normal scores
 *     float[] scores = detector.score(newLoader);
 *     boolean[] anomalies = detector.predict(newLoader);
 * }
 * }</pre>
 *
 * <p>Each {@code score}, {@code fit} or {@code predict} call draws a stochastic score's samples
 * from a generator seeded afresh with {@link #seed(long)}, so repeating a call repeats its
 * numbers. Not thread-safe.
 */
public final class AnomalyDetector implements AutoCloseable {

    /** The share of the calibration data flagged by {@link #fit(DataLoader)}: 5 %. */
    public static final double DEFAULT_CONTAMINATION = 0.05;

    /** Receives the scores of one batch of a streamed pass, in data order. */
    @FunctionalInterface
    public interface BatchScores {
        /**
         * {@code first} is the index of the batch's first example; {@code contributions} is
         * {@code (scores.length x width)} row-major, or null when not asked for or not defined.
         */
        void accept(int first, float[] scores, float[] contributions, int width)
                throws IOException;
    }

    private final Model model;
    private final AnomalyScorer scorer;
    private final boolean ownsModel;
    private String score;
    private int samples = ScoreOptions.DEFAULT_SAMPLES;
    private long seed = 1;
    private Threshold threshold;

    private AnomalyDetector(Model model, boolean ownsModel) {
        if (!(model instanceof AnomalyScorer s)) {
            throw new IllegalArgumentException("the model " + model.typeName()
                    + " offers no anomaly scores (it does not implement AnomalyScorer)");
        }
        this.model = model;
        this.scorer = s;
        this.ownsModel = ownsModel;
        this.score = s.defaultScore();
    }

    /** A detector over {@code model} with its default score; closing it leaves the model open. */
    public static AnomalyDetector of(Model model) {
        return new AnomalyDetector(model, false);
    }

    /**
     * A detector over the model of the run folder {@code run} (its {@code model.safetensors},
     * else its newest checkpoint) on {@code backend}, with the run's calibrated threshold and
     * its score when the run has a {@value Threshold#FILE}. Closing it closes the model.
     */
    public static AnomalyDetector fromRun(Path run, Backend backend) throws IOException {
        Path weights = run.resolve(Checkpoint.MODEL_FILE);
        Model model = Checkpoint.loadModel(Files.isRegularFile(weights) ? weights : run, backend);
        AnomalyDetector detector = new AnomalyDetector(model, true);
        try {
            if (Threshold.exists(run)) {
                Threshold t = Threshold.load(run);
                detector.samples(t.samples()).threshold(t);
            }
        } catch (IOException | RuntimeException e) {
            detector.close();
            throw e;
        }
        return detector;
    }

    /** Uses score {@code name} (one of {@link AnomalyScorer#scoreNames()}); forgets a threshold of another score. */
    public AnomalyDetector score(String name) {
        if (!scorer.scoreNames().contains(name)) {
            throw Scores.unknown(model.typeName(), name, scorer.scoreNames());
        }
        if (threshold != null && !threshold.score().equals(name)) {
            threshold = null;
        }
        this.score = name;
        return this;
    }

    /** The draws of z per example for stochastic scores (K or L), at least 1. */
    public AnomalyDetector samples(int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("a score needs at least 1 sample of z, got "
                    + samples);
        }
        this.samples = samples;
        return this;
    }

    /** The seed of the stochastic scores' draws. */
    public AnomalyDetector seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Sets the threshold directly (e.g. a value chosen by hand), for the current score. */
    public AnomalyDetector threshold(double value) {
        threshold = new Threshold(score, value, 0, 0, "set by hand", samples);
        return this;
    }

    /** Uses a calibrated threshold (e.g. one loaded from a run); its score becomes the score. */
    public AnomalyDetector threshold(Threshold calibrated) {
        score(calibrated.score());
        threshold = calibrated;
        return this;
    }

    public Model model() {
        return model;
    }

    /** The score in use. */
    public String scoreName() {
        return score;
    }

    public int samples() {
        return samples;
    }

    /** The threshold; an error if none was fitted, loaded or set. */
    public Threshold threshold() {
        if (threshold == null) {
            throw new IllegalStateException("the detector has no threshold for the score '"
                    + score + "': call fit(normalData) first, or set one with threshold(x)");
        }
        return threshold;
    }

    public boolean hasThreshold() {
        return threshold != null;
    }

    /** {@link #fit(DataLoader, double)} with {@link #DEFAULT_CONTAMINATION}. */
    public AnomalyDetector fit(DataLoader normal) {
        return fit(normal, DEFAULT_CONTAMINATION);
    }

    /**
     * Calibrates the threshold on held-out normal data: the {@code 1 − contamination} quantile
     * of its scores, so that share of normal data falls at or below it.
     */
    public AnomalyDetector fit(DataLoader normal, double contamination) {
        return fitQuantile(normal, Threshold.quantileForContamination(contamination));
    }

    /** Calibrates the threshold as the {@code quantile} of the normal data's scores. */
    public AnomalyDetector fitQuantile(DataLoader normal, double quantile) {
        threshold = Threshold.calibrate(score, score(normal), quantile,
                normal.dataset().name(), samples);
        return this;
    }

    /** Stores the threshold in the run folder {@code run} ({@value Threshold#FILE}, atomically). */
    public void saveThreshold(Path run) throws IOException {
        threshold().save(run);
    }

    /** The score of every example of {@code data}, in order (every batch, none dropped). */
    public float[] score(DataLoader data) {
        float[] all = new float[data.dataset().size()];
        int[] filled = {0};
        try {
            scoreBatches(data, false, (first, s, c, w) -> {
                System.arraycopy(s, 0, all, first, s.length);
                filled[0] += s.length;
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return filled[0] == all.length ? all : Arrays.copyOf(all, filled[0]);
    }

    /** The score of every example of one batch. */
    public float[] score(Batch batch) {
        try (TensorScope scope = model.backend().newScope()) {
            return scorer.score(score, batch, new ScoreOptions(samples, new Rng(seed))).toArray();
        }
    }

    /** Whether each example of {@code data} scores above the threshold. */
    public boolean[] predict(DataLoader data) {
        return flags(score(data));
    }

    /** Whether each example of {@code batch} scores above the threshold. */
    public boolean[] predict(Batch batch) {
        return flags(score(batch));
    }

    private boolean[] flags(float[] scores) {
        Threshold t = threshold();
        boolean[] out = new boolean[scores.length];
        for (int i = 0; i < scores.length; i++) {
            out[i] = t.flags(scores[i]);
        }
        return out;
    }

    /**
     * Streams {@code data} through the score batch by batch (each batch's tensors freed before
     * the next), handing each batch's scores, and with {@code contributions} the per-feature
     * terms where the score has them, to {@code sink}. The loader must neither drop a last
     * partial batch nor shuffle, so that every example comes once, in data order.
     */
    public void scoreBatches(DataLoader data, boolean contributions, BatchScores sink)
            throws IOException {
        if (data.dropsLast() && data.dataset().size() % data.batchSize() != 0) {
            throw new IllegalArgumentException("the loader drops its last partial batch, so "
                    + "some examples would get no score; build it without optDropLast(true)");
        }
        if (data.isShuffled()) {
            throw new IllegalArgumentException("the loader shuffles, so the scores would not"
                    + " come in data order; build it without optShuffle(true)");
        }
        model.checkData(model.shaped(data.dataset()));
        boolean withTerms = contributions && scorer.hasContributions(score);
        ScoreOptions options = new ScoreOptions(samples, new Rng(seed));
        Backend b = model.backend();
        int first = 0;
        for (int i = 0; i < data.batchesPerEpoch(); i++) {
            float[] s;
            float[] c = null;
            int width = 0;
            try (TensorScope scope = b.newScope()) {
                Batch batch = data.batch(0, i);
                long[] draws = options.rng().state();
                s = scorer.score(score, batch, options).toArray();
                if (withTerms) {
                    // the terms of the score's own draws, so that they sum to it
                    options.rng().restore(draws);
                    Tensor terms = scorer.contributions(score, batch, options);
                    c = terms.toArray();
                    width = c.length / Math.max(s.length, 1);
                }
            }
            sink.accept(first, s, c, width);
            first += s.length;
        }
    }

    /** Closes the model when this detector loaded it ({@link #fromRun}). */
    @Override
    public void close() {
        if (ownsModel) {
            model.close();
        }
    }
}
