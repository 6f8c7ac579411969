package org.vae4j.tensor;

/**
 * Every optional family as its definition in {@link Composites}, run through the front door of
 * {@code backend}: what a backend that does not declare a family (or any backend under
 * {@code vae4j.forceComposite=true}) runs, and what every backend runs for empty inputs.
 */
final class CompositeKernels
        implements LayerKernels, ActivationKernels, LossKernels, ReductionKernels,
        OptimizerKernels {

    private final Backend be;

    CompositeKernels(Backend be) {
        this.be = be;
    }

    @Override
    public Tensor linear(Tensor x, Tensor w, Tensor b) {
        return Composites.linear(be, x, w, b);
    }

    @Override
    public Tensor linearRelu(Tensor x, Tensor w, Tensor b) {
        return Composites.linearRelu(be, x, w, b);
    }

    @Override
    public Tensor reluBackward(Tensor g, Tensor y) {
        return Composites.reluBackward(be, g, y);
    }

    @Override
    public Tensor bceWithLogitsSum(Tensor logits, Tensor target) {
        return Composites.bceWithLogitsSum(be, logits, target);
    }

    @Override
    public Tensor bceWithLogitsBackward(Tensor logits, Tensor target, Tensor g) {
        return Composites.bceWithLogitsBackward(be, logits, target, g);
    }

    @Override
    public Tensor gaussianKl(Tensor mu, Tensor logVar) {
        return Composites.gaussianKl(be, mu, logVar);
    }

    @Override
    public Tensor logSumExp(Tensor x, int axis, boolean keepDims) {
        return Composites.logSumExp(be, x, axis, keepDims);
    }

    @Override
    public Tensor softmax(Tensor x, int axis) {
        return Composites.softmax(be, x, axis);
    }

    @Override
    public Tensor squaredDistances(Tensor x, Tensor codes) {
        return Composites.squaredDistances(be, x, codes);
    }

    /** The definition is pure: it never writes its inputs, whatever {@code inPlace} allows. */
    @Override
    public AdamStep.Result adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v,
            AdamStep step, boolean inPlace) {
        return Composites.adamUpdate(be, param, grad, m, v, step);
    }
}
