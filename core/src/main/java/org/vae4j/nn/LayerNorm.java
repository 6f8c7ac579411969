package org.vae4j.nn;

import org.vae4j.autodiff.Variable;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;

/**
 * Layer normalisation (Ba et al.) over the last axes of the input, which must equal
 * {@code normalizedShape}: each example is normalised by its own mean and biased variance over
 * those axes, then scaled and shifted elementwise by a learned {@code weight} (initially 1) and
 * {@code bias} (0) of that shape, as PyTorch's {@code LayerNorm}. The same in training and
 * evaluation.
 */
public final class LayerNorm extends Module implements Layer {

    private final Shape normalizedShape;
    private final float eps;
    private final Parameter weight;
    private final Parameter bias;

    /** With PyTorch's {@code eps = 1e-5}. */
    public LayerNorm(Backend backend, int... normalizedShape) {
        this(backend, Shape.of(normalizedShape), 1e-5f);
    }

    public LayerNorm(Backend backend, Shape normalizedShape, float eps) {
        if (normalizedShape.rank() == 0 || normalizedShape.size() == 0) {
            throw new IllegalArgumentException("LayerNorm: the normalised shape must have at least"
                    + " one axis and one element, got " + normalizedShape);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("LayerNorm: eps must be positive, got " + eps);
        }
        this.normalizedShape = normalizedShape;
        this.eps = eps;
        this.weight = addParameter("weight", backend.ones(normalizedShape));
        this.bias = addParameter("bias", backend.zeros(normalizedShape));
    }

    @Override
    public Variable forward(Variable x) {
        Shape s = x.shape();
        int k = normalizedShape.rank();
        if (s.rank() <= k || !Shape.of(java.util.Arrays.copyOfRange(s.dims(), s.rank() - k,
                s.rank())).equals(normalizedShape)) {
            throw new IllegalArgumentException("LayerNorm" + normalizedShape + ": expects input"
                    + " of shape (N x ...) ending in " + normalizedShape + ", got " + s);
        }
        int[] axes = new int[k];
        for (int i = 0; i < k; i++) {
            axes[i] = s.rank() - k + i;
        }
        Variable centered = x.sub(x.mean(true, axes));
        Variable var = centered.square().mean(true, axes);
        return centered.div(var.add(eps).sqrt()).mul(weight).add(bias);
    }

    @Override
    public String toString() {
        return "LayerNorm" + normalizedShape;
    }
}
