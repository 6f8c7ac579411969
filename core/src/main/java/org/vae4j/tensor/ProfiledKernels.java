package org.vae4j.tensor;

import java.util.List;

/**
 * The profiling decorator: every family of a complete kernel set, each call timed by an
 * {@link OpProfiler} under its op's name ({@link OpNames}). {@link Backend#setProfiler} swaps it
 * in and out, so the path without a profiler has no profiling code at all. A composite runs its
 * primitives through the backend's front door, so they are timed as well and the composite is
 * charged its self time only.
 */
final class ProfiledKernels implements CoreKernels, LayerKernels, ActivationKernels, LossKernels,
        ReductionKernels, OptimizerKernels {

    private final Kernels inner;
    private final OpProfiler p;

    private ProfiledKernels(Kernels inner, OpProfiler p) {
        this.inner = inner;
        this.p = p;
    }

    /** {@code complete} (every family present) with each call timed by {@code profiler}. */
    static Kernels wrap(Kernels complete, OpProfiler profiler) {
        ProfiledKernels k = new ProfiledKernels(complete, profiler);
        return Kernels.of(k).withLayer(k).withActivation(k).withLoss(k).withReduction(k)
                .withOptimizer(k);
    }

    @Override
    public Tensor upload(float[] data, Shape shape) {
        return p.time(OpNames.FROM_ARRAY, () -> inner.core().upload(data, shape));
    }

    @Override
    public float[] download(Tensor t) {
        return p.time(OpNames.TO_ARRAY, () -> inner.core().download(t));
    }

    @Override
    public Tensor full(Shape shape, float value) {
        return p.time(OpNames.FULL, () -> inner.core().full(shape, value));
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor x) {
        return p.time(OpNames.of(op), () -> inner.core().unary(op, x));
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b, Shape out) {
        return p.time(OpNames.of(op), () -> inner.core().binary(op, a, b, out));
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor x, int[] axes, Shape out) {
        return p.time(OpNames.of(op), () -> inner.core().reduce(op, x, axes, out));
    }

    @Override
    public Tensor argReduce(ArgOp op, Tensor x, int axis, Shape out) {
        return p.time(OpNames.of(op), () -> inner.core().argReduce(op, x, axis, out));
    }

    @Override
    public Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB, Shape out) {
        return p.time(OpNames.MATMUL, () -> inner.core().matmul(a, transA, b, transB, out));
    }

    @Override
    public Tensor reshape(Tensor x, Shape shape) {
        return p.time(OpNames.RESHAPE, () -> inner.core().reshape(x, shape));
    }

    @Override
    public Tensor transpose(Tensor x, int[] perm, Shape out) {
        return p.time(OpNames.TRANSPOSE, () -> inner.core().transpose(x, perm, out));
    }

    @Override
    public Tensor slice(Tensor x, int axis, int start, int end, Shape out) {
        return p.time(OpNames.SLICE, () -> inner.core().slice(x, axis, start, end, out));
    }

    @Override
    public Tensor stridedSlice(Tensor x, int[] start, int[] step, Shape out) {
        return p.time(OpNames.SLICE, () -> inner.core().stridedSlice(x, start, step, out));
    }

    @Override
    public Tensor pad(Tensor x, int[] before, int[] after, float value, Shape out) {
        return p.time(OpNames.PAD, () -> inner.core().pad(x, before, after, value, out));
    }

    @Override
    public Tensor broadcastTo(Tensor x, Shape out) {
        return p.time(OpNames.BROADCAST_TO, () -> inner.core().broadcastTo(x, out));
    }

    @Override
    public Tensor concat(List<Tensor> xs, int axis, Shape out) {
        return p.time(OpNames.CONCAT, () -> inner.core().concat(xs, axis, out));
    }

    @Override
    public Tensor gatherRows(Tensor x, int[] rows, Shape out) {
        return p.time(OpNames.GATHER_ROWS, () -> inner.core().gatherRows(x, rows, out));
    }

    @Override
    public Tensor scatterAddRows(Tensor src, int[] rows, Shape out) {
        return p.time(OpNames.SCATTER_ADD_ROWS, () -> inner.core().scatterAddRows(src, rows, out));
    }

    @Override
    public Tensor oneHot(int[] labels, int classes) {
        return p.time(OpNames.ONE_HOT, () -> inner.core().oneHot(labels, classes));
    }

    @Override
    public Tensor linear(Tensor x, Tensor w, Tensor b) {
        return p.time(OpNames.LINEAR, () -> inner.layer().linear(x, w, b));
    }

    @Override
    public Tensor linearRelu(Tensor x, Tensor w, Tensor b) {
        return p.time(OpNames.LINEAR_RELU, () -> inner.layer().linearRelu(x, w, b));
    }

    @Override
    public Tensor reluBackward(Tensor g, Tensor y) {
        return p.time(OpNames.RELU_BACKWARD, () -> inner.activation().reluBackward(g, y));
    }

    @Override
    public Tensor bceWithLogitsSum(Tensor logits, Tensor target) {
        return p.time(OpNames.BCE_WITH_LOGITS_SUM,
                () -> inner.loss().bceWithLogitsSum(logits, target));
    }

    @Override
    public Tensor bceWithLogitsBackward(Tensor logits, Tensor target, Tensor g) {
        return p.time(OpNames.BCE_WITH_LOGITS_BACKWARD,
                () -> inner.loss().bceWithLogitsBackward(logits, target, g));
    }

    @Override
    public Tensor gaussianKl(Tensor mu, Tensor logVar) {
        return p.time(OpNames.GAUSSIAN_KL, () -> inner.loss().gaussianKl(mu, logVar));
    }

    @Override
    public Tensor logSumExp(Tensor x, int axis, boolean keepDims) {
        return p.time(OpNames.LOG_SUM_EXP, () -> inner.reduction().logSumExp(x, axis, keepDims));
    }

    @Override
    public Tensor softmax(Tensor x, int axis) {
        return p.time(OpNames.SOFTMAX, () -> inner.reduction().softmax(x, axis));
    }

    @Override
    public Tensor squaredDistances(Tensor x, Tensor codes) {
        return p.time(OpNames.SQUARED_DISTANCES,
                () -> inner.reduction().squaredDistances(x, codes));
    }

    @Override
    public AdamStep.Result adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v,
            AdamStep step, boolean inPlace) {
        return p.time(OpNames.ADAM_UPDATE,
                () -> inner.optimizer().adamUpdate(param, grad, m, v, step, inPlace));
    }
}
