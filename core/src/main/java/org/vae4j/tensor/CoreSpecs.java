package org.vae4j.tensor;

/**
 * The shape rules of the transfer, reduction and matrix-product primitives: each checks its
 * arguments against the input shapes, with one message naming the shapes and the parameters, and
 * returns the output shape (Keras' {@code compute_output_spec}). The front door in
 * {@link Backend} calls them before any kernel runs.
 */
final class CoreSpecs {

    private CoreSpecs() {
    }

    /** The shape of {@code fromArray(data, shape)}. */
    static Shape fromArray(float[] data, Shape shape) {
        if (data == null) {
            throw new IllegalArgumentException("fromArray: data is null");
        }
        if (data.length != shape.size()) {
            throw new ShapeException("fromArray: " + data.length + " values do not fill shape "
                    + shape + " of " + shape.size() + " elements");
        }
        return shape;
    }

    /** The distinct reduced axes of {@code shape}, sorted; every axis when none are given. */
    static int[] reduceAxes(String op, Shape shape, int[] axes) {
        if (axes.length == 0) {
            int[] all = new int[shape.rank()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        boolean[] seen = new boolean[shape.rank()];
        for (int axis : axes) {
            int a = shape.normalizeAxis(axis);
            if (seen[a]) {
                throw new ShapeException(op + ": axis " + axis + " is given twice for shape "
                        + shape);
            }
            seen[a] = true;
        }
        int[] sorted = new int[axes.length];
        int k = 0;
        for (int i = 0; i < seen.length; i++) {
            if (seen[i]) {
                sorted[k++] = i;
            }
        }
        return sorted;
    }

    /** The shape left after reducing the sorted {@code axes}. */
    static Shape reduced(Shape shape, int[] axes, boolean keepDims) {
        int[] dims = shape.dims();
        int[] out = new int[keepDims ? dims.length : dims.length - axes.length];
        int k = 0;
        int j = 0;
        for (int i = 0; i < dims.length; i++) {
            boolean reduced = j < axes.length && axes[j] == i;
            if (reduced) {
                j++;
                if (keepDims) {
                    out[k++] = 1;
                }
            } else {
                out[k++] = dims[i];
            }
        }
        return Shape.of(out);
    }

    /** The shape of an arg-reduction of {@code x} along the normalised axis {@code a}. */
    static Shape argReduce(String op, ArgOp kind, Shape x, int axis, int a) {
        if (x.dim(a) == 0) {
            throw new ShapeException(op + ": axis " + axis + " of shape " + x
                    + " is empty; there is no " + (kind == ArgOp.ARGMIN ? "minimum" : "maximum"));
        }
        return reduced(x, new int[] {a}, false);
    }

    /** The shape {@code (m x n)} of {@code op(a)·op(b)}. */
    static Shape matmul(Shape a, boolean transA, Shape b, boolean transB) {
        if (a.rank() != 2 || b.rank() != 2) {
            throw new ShapeException("matmul: expects 2-D tensors, got " + a + " and " + b);
        }
        int m = a.dim(transA ? 1 : 0);
        int ka = a.dim(transA ? 0 : 1);
        int kb = b.dim(transB ? 1 : 0);
        int n = b.dim(transB ? 0 : 1);
        if (ka != kb) {
            throw new ShapeException("matmul: " + operand(a, transA) + "·" + operand(b, transB)
                    + ": inner sizes " + ka + " and " + kb + " differ");
        }
        return Shape.of(m, n);
    }

    private static String operand(Shape s, boolean transposed) {
        return "(" + s.dim(0) + "x" + s.dim(1) + ")" + (transposed ? "ᵀ" : "");
    }
}
