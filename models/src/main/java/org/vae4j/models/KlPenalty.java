package org.vae4j.models;

import org.vae4j.autodiff.Variable;

/**
 * How the KL term enters a VAE's objective, given the batch-mean {@code KL(q(z|x) ‖ p(z))} in
 * nats per example:
 *
 * <ul>
 *   <li>{@link #standard()}: {@code KL} — the negative ELBO (Kingma and Welling).</li>
 *   <li>{@link #beta(double)}: {@code β·KL} (Higgins et al., 2017).</li>
 *   <li>{@link #capacity(double, double, long)}: {@code γ·|KL − C(t)|} with the capacity
 *       {@code C(t) = C_max · min(1, t / T)} growing linearly with the optimizer step {@code t}
 *       (Burgess et al., 2018). As in their implementation the absolute value is taken of the
 *       batch-mean KL, not of each example's, so γ is in units of nats per example.</li>
 * </ul>
 */
public final class KlPenalty {

    private final double beta;
    private final double gamma;
    private final double capacityMax;
    private final long capacitySteps;
    private final boolean capacity;

    private KlPenalty(double beta, double gamma, double capacityMax, long capacitySteps,
            boolean capacity) {
        this.beta = beta;
        this.gamma = gamma;
        this.capacityMax = capacityMax;
        this.capacitySteps = capacitySteps;
        this.capacity = capacity;
    }

    /** The plain VAE: the KL with weight 1. */
    public static KlPenalty standard() {
        return new KlPenalty(1, 0, 0, 0, false);
    }

    /** {@code β·KL}; β = 1 is the plain VAE. */
    public static KlPenalty beta(double beta) {
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be a number >= 0, got " + beta);
        }
        return new KlPenalty(beta, 0, 0, 0, false);
    }

    /** {@code γ·|KL − C(t)|} with {@code C(t)} rising from 0 to {@code capacityMax} in {@code steps}. */
    public static KlPenalty capacity(double gamma, double capacityMax, long steps) {
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("gamma must be a number >= 0, got " + gamma);
        }
        if (!(capacityMax >= 0) || Double.isInfinite(capacityMax)) {
            throw new IllegalArgumentException("capacity-max must be a number >= 0, got "
                    + capacityMax);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("capacity-steps must be >= 0, got " + steps);
        }
        return new KlPenalty(0, gamma, capacityMax, steps, true);
    }

    /** Whether this is the plain negative ELBO (β = 1, no capacity). */
    public boolean isStandard() {
        return !capacity && beta == 1;
    }

    /** Whether this is the capacity-annealed objective. */
    public boolean isCapacity() {
        return capacity;
    }

    /** {@code C(t) = C_max · min(1, t / T)}; {@code C_max} from the start when {@code T = 0}. */
    public double capacityAt(long step) {
        if (!capacity) {
            return 0;
        }
        if (capacitySteps == 0 || step >= capacitySteps) {
            return capacityMax;
        }
        return capacityMax * Math.max(0, step) / capacitySteps;
    }

    /** The weighted term that enters the loss at optimizer step {@code step}. */
    public Variable apply(Variable kl, long step) {
        if (capacity) {
            // γ·|KL − C(t)|
            return kl.sub((float) capacityAt(step)).abs().mul((float) gamma);
        }
        // β·KL
        return beta == 1 ? kl : kl.mul((float) beta);
    }

    @Override
    public String toString() {
        if (capacity) {
            return "gamma " + gamma + " * |KL - C(t)|, C rising to " + capacityMax + " in "
                    + capacitySteps + " steps";
        }
        return beta == 1 ? "KL" : "beta " + beta + " * KL";
    }
}
