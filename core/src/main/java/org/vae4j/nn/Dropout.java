package org.vae4j.nn;

import org.vae4j.autodiff.Variable;

/**
 * Inverted dropout (Srivastava et al.): in training mode each value is zeroed with probability
 * {@code p} and the survivors are scaled by {@code 1/(1-p)}, so evaluation needs no rescaling; in
 * evaluation mode it passes values through. The mask is drawn on the host from the training
 * scope's generator ({@link Mode#rng()}), so the same seed drops the same values on every
 * backend.
 */
public final class Dropout extends Module implements Layer {

    private final double p;

    /** A dropout layer zeroing each value with probability {@code p} in {@code [0, 1)}. */
    public Dropout(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout: probability must be in [0, 1), got " + p);
        }
        this.p = p;
    }

    @Override
    public Variable forward(Variable x) {
        if (p == 0 || !isTraining()) {
            return x;
        }
        // y = x * m / (1 - p), m ~ Bernoulli(1 - p)
        Variable mask = Variable.constant(Mode.rng().bernoulli(x.backend(), x.shape(), 1 - p));
        return x.mul(mask).mul((float) (1 / (1 - p)));
    }

    /** The probability of zeroing a value. */
    public double probability() {
        return p;
    }

    @Override
    public String toString() {
        return "Dropout(" + p + ")";
    }
}
