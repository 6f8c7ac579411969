package org.vae4j.train;

import org.vae4j.random.Rng;

/**
 * The generators a training run draws its per-step noise from, each a pure function of the seed
 * and a counter. A run therefore resumes exactly from a checkpoint without saving generator
 * state: step {@code s} gets the same numbers whether or not the run was interrupted before it.
 */
public final class StepRandom {

    private static final long STEP_STREAM = 0x6A09E667F3BCC909L;
    private static final long EVAL_STREAM = 0xBB67AE8584CAA73BL;

    private StepRandom() {
    }

    /** The generator of training step {@code step} (0-based: the steps taken before it). */
    public static Rng forStep(long seed, long step) {
        return new Rng(hash(seed, STEP_STREAM, step));
    }

    /**
     * The generator of evaluation batch {@code batch}: the same for every evaluation, so test
     * losses of successive epochs differ only because the weights do.
     */
    public static Rng forEvaluation(long seed, long batch) {
        return new Rng(hash(seed, EVAL_STREAM, batch));
    }

    /**
     * Mixes the three words through SplitMix64's finaliser twice: nearby seeds and counters give
     * unrelated generators (a plain {@code seed * K + step} would make Rng(seed, step + K)
     * share state words with Rng(seed, step), since Rng seeds its words from consecutive values).
     */
    static long hash(long seed, long stream, long counter) {
        long h = mix(seed ^ stream);
        return mix(h + mix(counter + 0x9E3779B97F4A7C15L));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
