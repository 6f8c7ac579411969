package org.vae4j.tensor;

/**
 * The movement primitives as loops over row-major float arrays, for backends whose storage is one
 * (the reference, EJML). Arguments are already checked by {@link Backend}'s front door; every
 * result is a new array, and only values move, so the results are exact.
 */
public final class RowMajorKernels {

    private RowMajorKernels() {
    }

    /** Elements {@code start[i] + k·step[i]} of {@code in} for every index k of {@code out}. */
    public static float[] stridedSlice(float[] in, Shape inShape, int[] start, int[] step,
            Shape out) {
        int[] inStrides = inShape.strides();
        int[] dims = out.dims();
        int[] idx = new int[dims.length];
        float[] r = new float[out.size()];
        for (int i = 0; i < r.length; i++) {
            int o = 0;
            for (int k = 0; k < dims.length; k++) {
                o += (start[k] + idx[k] * step[k]) * inStrides[k];
            }
            r[i] = in[o];
            increment(idx, dims);
        }
        return r;
    }

    /** {@code in} placed at offset {@code before} in an array of {@code out} filled with value. */
    public static float[] pad(float[] in, Shape inShape, int[] before, float value, Shape out) {
        float[] r = new float[out.size()];
        if (value != 0f) {
            java.util.Arrays.fill(r, value);
        }
        int[] outStrides = out.strides();
        int[] dims = inShape.dims();
        int[] idx = new int[dims.length];
        for (int i = 0; i < in.length; i++) {
            int o = 0;
            for (int k = 0; k < dims.length; k++) {
                o += (idx[k] + before[k]) * outStrides[k];
            }
            r[o] = in[i];
            increment(idx, dims);
        }
        return r;
    }

    /** {@code in} repeated to {@code out} by NumPy's broadcasting rule. */
    public static float[] broadcastTo(float[] in, Shape inShape, Shape out) {
        int[] dims = out.dims();
        int lead = dims.length - inShape.rank();
        int[] inStrides = inShape.strides();
        int[] idx = new int[dims.length];
        float[] r = new float[out.size()];
        for (int i = 0; i < r.length; i++) {
            int o = 0;
            for (int k = 0; k < inShape.rank(); k++) {
                if (inShape.dim(k) != 1) {
                    o += idx[k + lead] * inStrides[k];
                }
            }
            r[i] = in[o];
            increment(idx, dims);
        }
        return r;
    }

    /** Advances a row-major multi-index by one. */
    private static void increment(int[] idx, int[] dims) {
        for (int k = dims.length - 1; k >= 0; k--) {
            if (++idx[k] < dims[k]) {
                return;
            }
            idx[k] = 0;
        }
    }
}
