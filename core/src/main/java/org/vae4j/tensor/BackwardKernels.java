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

    /** The gradient of {@link Backend#conv2d} with respect to its input, of shape {@code xShape}. */
    public static Tensor conv2dBackwardInput(Backend be, Tensor g, Tensor w, ConvSpec spec,
            Shape xShape) {
        return be.conv2dBackwardInput(g, w, spec, xShape);
    }

    /** The gradient of {@link Backend#conv2d} with respect to its weight, of shape {@code wShape}. */
    public static Tensor conv2dBackwardFilter(Backend be, Tensor x, Tensor g, ConvSpec spec,
            Shape wShape) {
        return be.conv2dBackwardFilter(x, g, spec, wShape);
    }

    /** The gradient of {@link Backend#maxPool2d}: {@code g} to each window's first maximum. */
    public static Tensor maxPool2dBackward(Backend be, Tensor x, Tensor g, PoolSpec spec) {
        return be.maxPool2dBackward(x, g, spec);
    }

    /** The gradient of {@link Backend#avgPool2d}, for an input of shape {@code xShape}. */
    public static Tensor avgPool2dBackward(Backend be, Tensor g, PoolSpec spec, Shape xShape) {
        return be.avgPool2dBackward(g, spec, xShape);
    }
}
