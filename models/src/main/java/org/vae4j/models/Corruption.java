package org.vae4j.models;

import org.vae4j.autodiff.Variable;
import org.vae4j.random.Rng;

/**
 * The noise a denoising autoencoder puts on its input in training (Vincent et al., 2008/2010):
 * none, masking noise (a random fraction of the inputs set to 0) or additive Gaussian noise. The
 * random numbers come from the {@link Rng} given, i.e. the training step's generator.
 */
public sealed interface Corruption {

    /** The corrupted copy {@code x̃ ~ q(x̃ | x)} of {@code x}; a constant (no gradient). */
    Variable apply(Variable x, Rng rng);

    /** No corruption: a plain autoencoder. */
    static Corruption none() {
        return new None();
    }

    /** Masking noise zeroing each input independently with probability {@code rate}. */
    static Corruption masking(double rate) {
        return new Masking(rate);
    }

    /** Additive isotropic Gaussian noise of standard deviation {@code sigma}. */
    static Corruption gaussian(double sigma) {
        return new Gaussian(sigma);
    }

    /** {@code x̃ = x}. */
    record None() implements Corruption {
        @Override
        public Variable apply(Variable x, Rng rng) {
            return x.detach();
        }
    }

    /** {@code x̃ = x ⊙ m}, {@code m_i ~ Bernoulli(1 − rate)}: no rescaling, unlike dropout. */
    record Masking(double rate) implements Corruption {
        public Masking {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException("masking noise: the drop rate must be in"
                        + " [0, 1), got " + rate);
            }
        }

        @Override
        public Variable apply(Variable x, Rng rng) {
            Variable keep = Variable.constant(rng.bernoulli(x.backend(), x.shape(), 1 - rate));
            return x.detach().mul(keep);
        }
    }

    /** {@code x̃ = x + σ·ε}, {@code ε ~ N(0, I)}; values are not clipped. */
    record Gaussian(double sigma) implements Corruption {
        public Gaussian {
            if (!(sigma >= 0) || Double.isInfinite(sigma)) {
                throw new IllegalArgumentException("gaussian noise: the standard deviation must"
                        + " be a number >= 0, got " + sigma);
            }
        }

        @Override
        public Variable apply(Variable x, Rng rng) {
            Variable eps = Variable.constant(rng.normal(x.backend(), x.shape(), 0, 1));
            return x.detach().add(eps.mul((float) sigma));
        }
    }
}
