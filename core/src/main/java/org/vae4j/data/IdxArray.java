package org.vae4j.data;

import java.util.Arrays;

/**
 * The content of an IDX file of unsigned bytes: its dimensions and its values in row-major
 * order (read each as {@code b & 0xff}). The arrays are the reader's, not copies.
 */
public record IdxArray(int[] dims, byte[] data) {

    /** The size of dimension {@code axis}. */
    public int dim(int axis) {
        return dims[axis];
    }

    /** The number of dimensions. */
    public int rank() {
        return dims.length;
    }

    @Override
    public String toString() {
        return "IdxArray" + Arrays.toString(dims);
    }
}
