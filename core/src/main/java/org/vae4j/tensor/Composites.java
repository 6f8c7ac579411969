package org.vae4j.tensor;

/**
 * The definitions of the composite ops from primitives. A backend's fused override of a
 * composite must agree with the definition here; the conformance kit checks that it does.
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

    static void checkLinear(Shape x, Shape w, Shape b) {
        if (x.rank() != 2 || w.rank() != 2 || b.rank() != 1
                || x.dim(1) != w.dim(0) || b.dim(0) != w.dim(1)) {
            throw new ShapeException("linear: x " + x + ", weight " + w + ", bias " + b
                    + " do not fit; expected x (n x in), weight (in x out), bias (out)");
        }
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

    static void checkSquaredDistances(Shape x, Shape codes) {
        if (x.rank() != 2 || codes.rank() != 2 || x.dim(1) != codes.dim(1)) {
            throw new ShapeException("squaredDistances: x " + x + " and codes " + codes
                    + " do not fit; expected x (n x d) and codes (k x d)");
        }
    }
}
