package org.vae4j.models;

import org.vae4j.autodiff.Variable;
import org.vae4j.loss.Mmd;
import org.vae4j.random.Rng;

/**
 * The weighted maximum mean discrepancy between a batch's codes {@code z ~ q(z)} and as many
 * draws from the prior {@code N(0, I)}, {@code w · MMD²(q(z), p(z))} (see {@link Mmd}): the
 * divergence the Wasserstein autoencoder ({@code wae}) and the MMD-VAE ({@code info-vae}) add to
 * a VAE's objective. The prior draws come from the step's {@link Rng}, so a seed fixes the term.
 */
public final class MmdPenalty {

    private static final MmdPenalty NONE = new MmdPenalty(0, Mmd.Kernel.IMQ, false);

    private final double weight;
    private final Mmd.Kernel kernel;
    private final boolean active;

    private MmdPenalty(double weight, Mmd.Kernel kernel, boolean active) {
        this.weight = weight;
        this.kernel = kernel;
        this.active = active;
    }

    /** No MMD term (the VAE family). */
    public static MmdPenalty none() {
        return NONE;
    }

    /** {@code weight · MMD²} under {@code kernel}; a weight of 0 keeps the term for logging. */
    public static MmdPenalty of(double weight, Mmd.Kernel kernel) {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("the MMD weight must be a number >= 0, got "
                    + weight);
        }
        return new MmdPenalty(weight, kernel, true);
    }

    /** Whether the objective has an MMD term. */
    public boolean isActive() {
        return active;
    }

    public double weight() {
        return weight;
    }

    public Mmd.Kernel kernel() {
        return kernel;
    }

    /** {@code MMD²(z, z_p)} with {@code z_p ~ N(0, I)} drawn from {@code rng}, one row per code. */
    public Variable divergence(Variable z, Rng rng) {
        Variable prior = Variable.constant(rng.normal(z.backend(), z.shape(), 0, 1));
        return Mmd.unbiased(z, prior, kernel, 1);
    }

    /** The term that enters the loss. */
    public Variable apply(Variable mmd) {
        return mmd.mul((float) weight);
    }

    @Override
    public String toString() {
        return active ? weight + " * MMD(" + kernel.configName() + ")" : "no MMD";
    }
}
