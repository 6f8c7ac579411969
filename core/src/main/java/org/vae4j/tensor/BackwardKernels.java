package org.vae4j.tensor;

/**
 * The gradient kernels of the fused ops, for the autodiff engine's rule table and nothing else.
 *
 * <p>They are not part of the op API on {@link Backend}: a model never calls a backward kernel,
 * and keeping them off it keeps that API what a model is written against. They still go through
 * the front door (ownership, shape checks, empty inputs, the {@link ActivationKernels} or
 * {@link LossKernels} family or its composite, profiling), which is why they live in this package.
 * The class is public only because Java has no access level for "core's autodiff package"; its
 * methods may change with the engine without notice.
 */
public final class BackwardKernels {

    private BackwardKernels() {
    }

    /**
     * {@code g · step(y)}: the gradient through a relu from the gradient {@code g} of its output
     * and its output {@code y} (the input works as well), both of one shape.
     */
    public static Tensor reluBackward(Backend be, Tensor g, Tensor y) {
        return be.reluBackward(g, y);
    }

    /**
     * {@code (sigmoid(l) − t) · g} for a scalar {@code g}: the gradient of
     * {@link Backend#bceWithLogitsSum} with respect to the logits.
     */
    public static Tensor bceWithLogitsBackward(Backend be, Tensor logits, Tensor target,
            Tensor g) {
        return be.bceWithLogitsBackward(logits, target, g);
    }
}
