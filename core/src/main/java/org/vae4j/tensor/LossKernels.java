package org.vae4j.tensor;

/**
 * Optional kernel family: the likelihood and KL terms of the autoencoder losses, fused. Inputs
 * are non-empty; paired inputs have one shape and {@code g} is a scalar.
 *
 * <p>Each kernel's default is its definition in {@link Composites}, run on the tensors' backend
 * (see {@link LayerKernels} for why).
 */
public interface LossKernels {

    /** {@code Σ softplus(l) − t·l}, a scalar. */
    default Tensor bceWithLogitsSum(Tensor logits, Tensor target) {
        return Composites.bceWithLogitsSum(logits.backend(), logits, target);
    }

    /** {@code (sigmoid(l) − t) · g}; only the autodiff engine calls it. */
    default Tensor bceWithLogitsBackward(Tensor logits, Tensor target, Tensor g) {
        return Composites.bceWithLogitsBackward(logits.backend(), logits, target, g);
    }

    /** {@code −½ Σ (1 + lv − μ² − e^lv)}, a scalar. */
    default Tensor gaussianKl(Tensor mu, Tensor logVar) {
        return Composites.gaussianKl(mu.backend(), mu, logVar);
    }
}
