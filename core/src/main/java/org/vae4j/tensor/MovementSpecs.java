package org.vae4j.tensor;

import java.util.Arrays;

/**
 * The shape rules of the movement primitives {@code pad}, strided {@code slice} and
 * {@code broadcastTo}: each checks its arguments against the input shape, with one message naming
 * what was wrong and what was expected, and returns the output shape. Kept apart from
 * {@link Backend} so that a rule reads on its own and the front door only calls it.
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
