package org.vae4j.tensor;

/**
 * The definitions of the composite ops from primitives: what the front door runs for an optional
 * kernel family a backend does not declare (see {@link KernelFamily}). A backend's fused kernel
 * must agree with the definition here; the conformance kit checks that it does. Arguments are
 * checked by the front door before a definition runs.
 */
public final class Composites {

    private Composites() {
    }

    /** {@code x·w + b}. */
    public static Tensor linear(Backend be, Tensor x, Tensor w, Tensor b) {
        try (TensorScope scope = be.newScope()) {
            return scope.keep(be.add(be.matmul(x, w), b));
        }
    }

    /** {@code relu(x·w + b)}. */
    public static Tensor linearRelu(Backend be, Tensor x, Tensor w, Tensor b) {
        try (TensorScope scope = be.newScope()) {
            return scope.keep(be.unary(UnaryOp.RELU, be.linear(x, w, b)));
        }
    }

    /**
     * {@code g · step(y)}: the gradient through a relu, given the gradient {@code g} of its
     * output and its output (or input: both are positive in the same places) {@code y}.
     */
    public static Tensor reluBackward(Backend be, Tensor g, Tensor y) {
        try (TensorScope scope = be.newScope()) {
            return scope.keep(be.mul(g, be.unary(UnaryOp.STEP, y)));
        }
    }

    /** {@code Σ softplus(l) − t·l} over every element, a scalar: Bernoulli NLL of logits. */
    public static Tensor bceWithLogitsSum(Backend be, Tensor logits, Tensor target) {
        try (TensorScope scope = be.newScope()) {
            Tensor perElement = be.sub(be.unary(UnaryOp.SOFTPLUS, logits),
                    be.mul(target, logits));
            return scope.keep(be.sum(perElement, false));
        }
    }

    /** {@code (sigmoid(l) − t) · g}: the gradient of {@link #bceWithLogitsSum} in l. */
    public static Tensor bceWithLogitsBackward(Backend be, Tensor logits, Tensor target,
            Tensor g) {
        try (TensorScope scope = be.newScope()) {
            return scope.keep(be.mul(be.sub(be.unary(UnaryOp.SIGMOID, logits), target), g));
        }
    }

    /**
     * {@code −½ Σ (1 + lv − μ² − e^lv)} over every element, a scalar: the KL divergence of
     * {@code N(μ, e^lv)} from {@code N(0, 1)}, summed.
     */
    public static Tensor gaussianKl(Backend be, Tensor mu, Tensor logVar) {
        try (TensorScope scope = be.newScope()) {
            Tensor inner = be.sub(be.sub(be.add(logVar, be.scalar(1f)),
                    be.unary(UnaryOp.SQUARE, mu)), be.unary(UnaryOp.EXP, logVar));
            return scope.keep(be.mul(be.sum(inner, false), be.scalar(-0.5f)));
        }
    }

    /** One Adam step as {@link AdamStep} spells it, in PyTorch's order of float operations. */
    public static AdamStep.Result adamUpdate(Backend be, Tensor param, Tensor grad, Tensor m,
            Tensor v, AdamStep s) {
        try (TensorScope scope = be.newScope()) {
            Tensor m2 = be.add(be.mul(m, scalar(be, s.beta1())),
                    be.mul(grad, scalar(be, 1 - s.beta1())));
            Tensor v2 = be.add(be.mul(v, scalar(be, s.beta2())),
                    be.mul(be.mul(grad, grad), scalar(be, 1 - s.beta2())));
            Tensor denom = be.add(be.div(be.unary(UnaryOp.SQRT, v2), scalar(be, s.bias2Sqrt())),
                    scalar(be, s.eps()));
            Tensor p2 = be.add(param, be.mul(be.div(m2, denom), scalar(be, -s.stepSize())));
            return new AdamStep.Result(scope.keep(p2), scope.keep(m2), scope.keep(v2));
        }
    }

    private static Tensor scalar(Backend be, double v) {
        return be.scalar((float) v);
    }

    /** {@code m + log(sum(exp(x - m)))} with {@code m} the maximum along {@code axis}. */
    public static Tensor logSumExp(Backend be, Tensor x, int axis, boolean keepDims) {
        try (TensorScope scope = be.newScope()) {
            // Clamping the maximum keeps rows of -inf (or +inf) from producing inf - inf = NaN.
            Tensor m = be.binary(BinaryOp.MAX, be.binary(BinaryOp.MIN,
                    be.reduce(ReduceOp.MAX, x, true, axis), be.scalar(Float.MAX_VALUE)),
                    be.scalar(-Float.MAX_VALUE));
            Tensor shifted = be.unary(UnaryOp.EXP, be.sub(x, m));
            Tensor lse = be.add(be.unary(UnaryOp.LOG, be.sum(shifted, true, axis)), m);
            if (!keepDims) {
                lse = be.reshape(lse, Backend.reducedShape(x.shape(), new int[] {axis}, false));
            }
            return scope.keep(lse);
        }
    }

    /** {@code exp(x - logSumExp(x))} along {@code axis}. */
    public static Tensor softmax(Backend be, Tensor x, int axis) {
        try (TensorScope scope = be.newScope()) {
            Tensor lse = logSumExp(be, x, axis, true);
            return scope.keep(be.unary(UnaryOp.EXP, be.sub(x, lse)));
        }
    }

    /** {@code |x|² - 2 x·cᵀ + |c|²} row by row, clamped at 0. */
    public static Tensor squaredDistances(Backend be, Tensor x, Tensor codes) {
        try (TensorScope scope = be.newScope()) {
            Tensor xx = be.sum(be.unary(UnaryOp.SQUARE, x), true, 1);
            Tensor cc = be.reshape(be.sum(be.unary(UnaryOp.SQUARE, codes), false, 1),
                    Shape.of(1, codes.shape().dim(0)));
            Tensor xc = be.matmul(x, false, codes, true);
            Tensor d = be.add(be.sub(xx, be.add(xc, xc)), cc);
            return scope.keep(be.binary(BinaryOp.MAX, d, be.scalar(0f)));
        }
    }
}
