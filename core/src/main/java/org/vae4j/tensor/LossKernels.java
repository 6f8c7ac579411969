package org.vae4j.tensor;

/**
 * Optional kernel family: the likelihood and KL terms of the autoencoder losses, fused. Without
 * it the front door runs {@link Composites#bceWithLogitsSum},
 * {@link Composites#bceWithLogitsBackward} and {@link Composites#gaussianKl}. Inputs are
 * non-empty; paired inputs have one shape and {@code g} is a scalar.
 */
public interface LossKernels {

    /** {@code Σ softplus(l) − t·l}, a scalar. */
    Tensor bceWithLogitsSum(Tensor logits, Tensor target);

    /** {@code (sigmoid(l) − t) · g}; only the autodiff engine calls it. */
    Tensor bceWithLogitsBackward(Tensor logits, Tensor target, Tensor g);

    /** {@code −½ Σ (1 + lv − μ² − e^lv)}, a scalar. */
    Tensor gaussianKl(Tensor mu, Tensor logVar);
}
