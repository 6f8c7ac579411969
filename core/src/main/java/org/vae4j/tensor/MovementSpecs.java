package org.vae4j.tensor;

import java.util.Arrays;
import java.util.List;

/**
 * The shape rules of the movement primitives (reshape, transpose, slice, strided slice, pad,
 * broadcast-to, concat, gather and scatter-add of rows, one-hot): each checks its arguments
 * against the input shape, with one message naming what was wrong and what was expected, and
 * returns the output shape. Kept apart from {@link Backend} so that a rule reads on its own and
 * the front door only calls it.
 */
final class MovementSpecs {

    private MovementSpecs() {
    }

    /** The shape of {@code x} padded by {@code before[i]} and {@code after[i]} on axis i. */
    static Shape pad(Shape x, int[] before, int[] after) {
        perAxis("pad", "before", before, x);
        perAxis("pad", "after", after, x);
        int[] out = new int[x.rank()];
        for (int i = 0; i < out.length; i++) {
            if (before[i] < 0 || after[i] < 0) {
                throw new ShapeException("pad: widths before " + Arrays.toString(before)
                        + " and after " + Arrays.toString(after) + " of shape " + x
                        + " must not be negative");
            }
            long n = (long) x.dim(i) + before[i] + after[i];
            if (n > Integer.MAX_VALUE) {
                throw new ShapeException("pad: axis " + i + " of shape " + x + " would hold " + n
                        + " elements, more than " + Integer.MAX_VALUE);
            }
            out[i] = (int) n;
        }
        return Shape.of(out);
    }

    /**
     * The shape of elements {@code start[i]}, {@code start[i] + step[i]}, ... below
     * {@code end[i]} on each axis i: {@code ceil((end - start) / step)} of them.
     */
    static Shape stridedSlice(Shape x, int[] start, int[] end, int[] step) {
        perAxis("slice", "start", start, x);
        perAxis("slice", "end", end, x);
        perAxis("slice", "step", step, x);
        int[] out = new int[x.rank()];
        for (int i = 0; i < out.length; i++) {
            if (step[i] <= 0) {
                throw new ShapeException("slice: step " + step[i] + " on axis " + i + " of shape "
                        + x + " must be positive (reversing slices are not supported)");
            }
            int n = x.dim(i);
            if (start[i] < 0 || end[i] > n || start[i] > end[i]) {
                throw new ShapeException("slice: range [" + start[i] + ", " + end[i]
                        + ") is outside axis " + i + " of shape " + x + " (0 <= start <= end <= "
                        + n + ")");
            }
            out[i] = (int) (((long) end[i] - start[i] + step[i] - 1) / step[i]);
        }
        return Shape.of(out);
    }

    /** {@code target}, after checking that {@code x} broadcasts to it (NumPy's rule). */
    static Shape broadcastTo(Shape x, Shape target) {
        boolean fits = x.rank() <= target.rank();
        for (int i = 0; fits && i < x.rank(); i++) {
            int d = x.dim(x.rank() - 1 - i);
            fits = d == 1 || d == target.dim(target.rank() - 1 - i);
        }
        if (!fits) {
            throw new ShapeException("broadcastTo: shape " + x + " cannot be broadcast to "
                    + target + ": aligned from the right, each dimension must equal the"
                    + " target's or be 1, and the rank may not shrink");
        }
        return target;
    }

    /** {@code shape}, after checking it holds as many elements as {@code x}. */
    static Shape reshape(Shape x, Shape shape) {
        if (shape.size() != x.size()) {
            throw new ShapeException("reshape: cannot reshape " + x + " (" + x.size()
                    + " elements) to " + shape + " (" + shape.size() + " elements)");
        }
        return shape;
    }

    /** The shape of {@code x} with its axes permuted: result axis i is input axis perm[i]. */
    static Shape transpose(Shape x, int[] perm) {
        int rank = x.rank();
        if (perm.length != rank) {
            throw new ShapeException("transpose: permutation " + Arrays.toString(perm)
                    + " has " + perm.length + " axes but the tensor " + x + " has " + rank);
        }
        boolean[] seen = new boolean[rank];
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int p = perm[i];
            if (p < 0 || p >= rank || seen[p]) {
                throw new ShapeException("transpose: " + Arrays.toString(perm)
                        + " is not a permutation of the axes 0.." + (rank - 1));
            }
            seen[p] = true;
            out[i] = x.dim(p);
        }
        return Shape.of(out);
    }

    /** The shape of elements {@code start} to {@code end} along the normalised axis {@code a}. */
    static Shape slice(Shape x, int axis, int a, int start, int end) {
        int n = x.dim(a);
        if (start < 0 || end > n || start > end) {
            throw new ShapeException("slice: range [" + start + ", " + end + ") is outside axis "
                    + axis + " of shape " + x + " (0 <= start <= end <= " + n + ")");
        }
        return x.withDim(a, end - start);
    }

    /** The shape of {@code xs} joined along the normalised axis {@code a}. */
    static Shape concat(List<Tensor> xs, int axis, int a) {
        Shape first = xs.get(0).shape();
        int total = 0;
        for (int k = 0, n = xs.size(); k < n; k++) {
            Shape s = xs.get(k).shape();
            boolean fits = s.rank() == first.rank();
            for (int i = 0; fits && i < s.rank(); i++) {
                fits = i == a || s.dim(i) == first.dim(i);
            }
            if (!fits) {
                throw new ShapeException("concat: shapes " + first + " and " + s
                        + " differ outside axis " + axis);
            }
            total += s.dim(a);
        }
        return first.withDim(a, total);
    }

    /** The shape of rows {@code rows} of {@code x}. */
    static Shape gatherRows(Shape x, int[] rows) {
        if (x.rank() < 1) {
            throw new ShapeException("gatherRows: expects a tensor of rank >= 1, got a scalar");
        }
        indices("gatherRows", rows, x.dim(0), "rows of " + x);
        return x.withDim(0, rows.length);
    }

    /** The shape of {@code src}'s rows added into {@code numRows} rows at {@code rows}. */
    static Shape scatterAddRows(Shape src, int[] rows, int numRows) {
        if (src.rank() < 1 || src.dim(0) != rows.length) {
            throw new ShapeException("scatterAddRows: source " + src + " must have one row"
                    + " per index (" + rows.length + " indices)");
        }
        indices("scatterAddRows", rows, numRows, "the " + numRows + " output rows");
        return src.withDim(0, numRows);
    }

    /** The shape {@code (labels x classes)} of a one-hot matrix. */
    static Shape oneHot(int[] labels, int classes) {
        if (classes <= 0) {
            throw new IllegalArgumentException("oneHot: classes must be positive, got " + classes);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("oneHot: label " + labels[i] + " at position "
                        + i + " is outside 0.." + (classes - 1));
            }
        }
        return Shape.of(labels.length, classes);
    }

    private static void indices(String op, int[] indices, int bound, String what) {
        if (indices == null) {
            throw new IllegalArgumentException(op + ": indices are null");
        }
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= bound) {
                throw new IndexOutOfBoundsException(op + ": index " + indices[i] + " at position "
                        + i + " is outside " + what + " (0.." + (bound - 1) + ")");
            }
        }
    }

    private static void perAxis(String op, String what, int[] values, Shape x) {
        if (values == null) {
            throw new IllegalArgumentException(op + ": " + what + " is null");
        }
        if (values.length != x.rank()) {
            throw new ShapeException(op + ": " + what + " " + Arrays.toString(values) + " has "
                    + values.length + " entries but the tensor " + x + " has " + x.rank()
                    + " axes; expected one per axis");
        }
    }
}
