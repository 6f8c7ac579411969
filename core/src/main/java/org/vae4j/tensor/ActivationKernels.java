package org.vae4j.tensor;

/**
 * Optional kernel family: gradients through activations, fused. Without it the front door runs
 * {@link Composites#reluBackward}. Only the autodiff engine calls these (through
 * {@link BackwardKernels}); inputs are non-empty and of one shape.
 */
public interface ActivationKernels {

    /** {@code g · step(y)}. */
    Tensor reluBackward(Tensor g, Tensor y);
}
