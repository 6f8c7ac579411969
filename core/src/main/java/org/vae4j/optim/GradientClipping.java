package org.vae4j.optim;

/**
 * How an optimizer limits the gradients it receives before an update: each entry to
 * {@code [-maxValue, maxValue]} (PyTorch's {@code clip_grad_value_}), then the whole set of its
 * parameters' gradients to a global L2 norm of at most {@code maxNorm} (PyTorch's {@code
 * clip_grad_norm_}: scaled by {@code maxNorm / (norm + 1e-6)} when the norm is larger). 0 turns a
 * limit off; {@link #NONE} turns both off and leaves every number as without clipping.
 *
 * <p>Norm clipping needs every gradient before the first update, so an optimizer that clips by
 * norm takes {@code backward()} then {@code step()} instead of updating beside the backward pass.
 */
public record GradientClipping(double maxNorm, double maxValue) {

    /** No clipping. */
    public static final GradientClipping NONE = new GradientClipping(0, 0);

    /** The epsilon PyTorch adds to the norm before dividing by it. */
    static final double NORM_EPSILON = 1e-6;

    public GradientClipping {
        if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("gradient clipping: the maximum norm must be finite"
                    + " and >= 0 (0 for none), got " + maxNorm);
        }
        if (!(maxValue >= 0) || Double.isInfinite(maxValue)) {
            throw new IllegalArgumentException("gradient clipping: the maximum value must be"
                    + " finite and >= 0 (0 for none), got " + maxValue);
        }
    }

    /** Clip the global norm of the gradients to {@code maxNorm}. */
    public static GradientClipping byNorm(double maxNorm) {
        return new GradientClipping(maxNorm, 0);
    }

    /** Clip every gradient entry to {@code [-maxValue, maxValue]}. */
    public static GradientClipping byValue(double maxValue) {
        return new GradientClipping(0, maxValue);
    }

    public boolean byNorm() {
        return maxNorm > 0;
    }

    public boolean byValue() {
        return maxValue > 0;
    }

    /** Whether any clipping happens. */
    public boolean active() {
        return byNorm() || byValue();
    }

    /** E.g. {@code none}, {@code norm 1.0}, {@code value 0.5, norm 1.0}: for checkpoints. */
    public String describe() {
        if (!active()) {
            return "none";
        }
        String v = byValue() ? "value " + maxValue : "";
        String n = byNorm() ? "norm " + maxNorm : "";
        return v.isEmpty() ? n : n.isEmpty() ? v : v + ", " + n;
    }
}
