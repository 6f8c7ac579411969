package org.vae4j.model;

import org.vae4j.nn.Mode;
import org.vae4j.random.Rng;

/**
 * What a loss may depend on besides the batch: the global optimizer step (for schedules such
 * as the capacity of the annealed beta-VAE), the generator for its noise, and whether it is
 * training (e.g. a denoising autoencoder corrupts its input only then).
 */
public record StepContext(long step, Rng rng, boolean training) {

    /** A training step. */
    public static StepContext training(long step, Rng rng) {
        return new StepContext(step, rng, true);
    }

    /** An evaluation pass: no corruption, schedules at {@code step}. */
    public static StepContext evaluation(long step, Rng rng) {
        return new StepContext(step, rng, false);
    }

    /**
     * Opens the layer mode this context describes: {@link Mode#train} with its generator, or
     * {@link Mode#eval}. A trainer computes the loss inside it.
     */
    public Mode openMode() {
        return training ? Mode.train(rng) : Mode.eval();
    }
}
