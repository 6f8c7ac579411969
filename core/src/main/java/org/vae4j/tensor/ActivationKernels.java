package org.vae4j.tensor;

/**
 * Optional kernel family: gradients through activations, fused. Only the autodiff engine calls
 * these (through {@link BackwardKernels}); inputs are non-empty and of one shape.
 *
 * <p>Each kernel's default is its definition in {@link Composites}, run on the tensors' backend
 * (see {@link LayerKernels} for why).
 */
public interface ActivationKernels {

    /** {@code g · step(y)}. */
    default Tensor reluBackward(Tensor g, Tensor y) {
        return Composites.reluBackward(g.backend(), g, y);
    }
}
