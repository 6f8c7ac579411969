package org.vae4j.tensor;

import java.util.Arrays;

/**
 * The dimensions of a tensor: rank 0 to 4, row-major, every dimension {@code >= 0}.
 *
 * <p>Immutable. {@code toString()} prints {@code (128x784)}, the form every error message uses.
 */
public final class Shape {

    /** The largest rank a tensor may have. */
    public static final int MAX_RANK = 4;

    private static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        this.dims = dims;
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new ShapeException("shape " + format(dims) + " has " + n + " elements; at most "
                    + Integer.MAX_VALUE + " are supported");
        }
        this.size = (int) n;
    }

    /** A shape with the given dimensions; {@code Shape.of()} is a scalar. */
    public static Shape of(int... dims) {
        if (dims.length == 0) {
            return SCALAR;
        }
        if (dims.length > MAX_RANK) {
            throw new ShapeException("shape " + format(dims) + " has rank " + dims.length
                    + "; ranks 0 to " + MAX_RANK + " are supported");
        }
        for (int d : dims) {
            if (d < 0) {
                throw new ShapeException("shape " + format(dims) + " has a negative dimension");
            }
        }
        return new Shape(dims.clone());
    }

    /** The rank-0 shape of a single number. */
    public static Shape scalar() {
        return SCALAR;
    }

    public int rank() {
        return dims.length;
    }

    /** The size along {@code axis}; a negative axis counts from the end, as in NumPy. */
    public int dim(int axis) {
        return dims[normalizeAxis(axis)];
    }

    /** A copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    /** The number of elements (1 for a scalar, 0 when any dimension is 0). */
    public int size() {
        return size;
    }

    /** Row-major strides in elements. */
    public int[] strides() {
        int[] strides = new int[dims.length];
        int stride = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= dims[i];
        }
        return strides;
    }

    /** Maps a possibly negative axis to {@code 0..rank-1}, or throws naming the shape. */
    public int normalizeAxis(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new ShapeException("axis " + axis + " is out of range for shape " + this
                    + " of rank " + dims.length);
        }
        return a;
    }

    /** This shape with dimension {@code axis} replaced by {@code size}. */
    public Shape withDim(int axis, int size) {
        int[] d = dims.clone();
        d[normalizeAxis(axis)] = size;
        return Shape.of(d);
    }

    /**
     * The NumPy broadcast of two shapes: align trailing dimensions; each pair must be equal or
     * one of them 1.
     *
     * @param op the operation's name, for the error message
     */
    public static Shape broadcast(String op, Shape a, Shape b) {
        if (a.equals(b)) {
            return a;
        }
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
            int db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw new ShapeException(op + ": shapes " + a + " and " + b
                        + " cannot be broadcast: aligned from the right, each pair of dimensions"
                        + " must be equal or one of them 1, but " + da + " and " + db + " differ");
            }
            out[i] = da == 1 ? db : da;
        }
        return Shape.of(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return format(dims);
    }

    private static String format(int[] dims) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                sb.append('x');
            }
            sb.append(dims[i]);
        }
        return sb.append(')').toString();
    }
}
