package org.vae4j.anomaly;

import java.util.List;
import org.vae4j.data.Batch;
import org.vae4j.tensor.Tensor;

/**
 * A model capability, like {@link org.vae4j.model.Encoder}: the anomaly scores a model offers,
 * by name, each one number per example where higher means more anomalous. The CLI
 * ({@code vae4j score}), {@link AnomalyDetector} and third-party code all call this interface;
 * a model of one's own offers scores by implementing it.
 *
 * <p>The names in use: {@link Scores#RECONSTRUCTION_ERROR}, {@link Scores#ELBO},
 * {@link Scores#IW_NLL}, {@link Scores#RECONSTRUCTION_PROBABILITY} and (a VQ-VAE with a fitted
 * prior) {@link Scores#PRIOR_NLL}. Randomness comes only from {@link ScoreOptions#rng()}.
 */
public interface AnomalyScorer {

    /** The scores this model offers; the first is its default. */
    List<String> scoreNames();

    /** The default score: the first of {@link #scoreNames()}. */
    default String defaultScore() {
        return scoreNames().get(0);
    }

    /**
     * The score {@code name} of every example of {@code batch}: a vector of {@code n} values,
     * higher is more anomalous. No gradient is recorded. An unknown name is an
     * {@link IllegalArgumentException} that lists {@link #scoreNames()}.
     */
    Tensor score(String name, Batch batch, ScoreOptions options);

    /**
     * Whether {@link #contributions} is defined for score {@code name}: the score is a sum over
     * input features (pixels, table columns) and each term can be reported.
     */
    default boolean hasContributions(String name) {
        return false;
    }

    /**
     * The per-feature terms of score {@code name}: {@code (n x features)}, each row summing to
     * the example's {@link #score}, feature {@code j} being the {@code j}-th value of the flat
     * input row (a pixel, or a table's encoded column).
     */
    default Tensor contributions(String name, Batch batch, ScoreOptions options) {
        throw new IllegalArgumentException("the score '" + name + "' is not a sum over input"
                + " features, so it has no per-feature contributions");
    }
}
