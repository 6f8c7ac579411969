package org.vae4j.anomaly;

import org.vae4j.random.Rng;

/**
 * What a stochastic score needs: the number of draws of {@code z} ({@code K} importance
 * samples for {@link Scores#IW_NLL}, {@code L} posterior samples for
 * {@link Scores#RECONSTRUCTION_PROBABILITY} and {@link Scores#ELBO}) and the seeded generator
 * they come from. Deterministic scores ignore both.
 */
public record ScoreOptions(int samples, Rng rng) {

    /** The default number of draws. */
    public static final int DEFAULT_SAMPLES = 10;

    public ScoreOptions {
        if (samples < 1) {
            throw new IllegalArgumentException("a score needs at least 1 sample of z, got "
                    + samples);
        }
        if (rng == null) {
            throw new IllegalArgumentException("a score needs a generator (Rng) for its draws");
        }
    }

    /** {@link #DEFAULT_SAMPLES} draws from a generator seeded with {@code seed}. */
    public static ScoreOptions seeded(long seed) {
        return new ScoreOptions(DEFAULT_SAMPLES, new Rng(seed));
    }
}
