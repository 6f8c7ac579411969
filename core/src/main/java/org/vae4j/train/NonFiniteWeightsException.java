package org.vae4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.vae4j.io.TensorData;
import org.vae4j.tensor.Shape;

/**
 * A weights file whose values include NaN or an infinity: readable, but the model it describes
 * is unusable (typically saved while training diverged). The message names the file, the
 * tensor and the first bad index; {@link #tensor()} and {@link #index()} give them to code.
 */
public final class NonFiniteWeightsException extends IOException {

    private final String tensor;
    private final int index;

    NonFiniteWeightsException(Path file, String tensor, TensorData data, int index) {
        super(file + ": tensor " + tensor + " holds " + data.values()[index] + " at index "
                + index + position(data.shape(), index) + "; the weights are unusable (was"
                + " training diverging?)");
        this.tensor = tensor;
        this.index = index;
    }

    /** The name of the first tensor with a non-finite value, e.g. {@code encoder.0.weight}. */
    public String tensor() {
        return tensor;
    }

    /** The row-major index of its first non-finite value. */
    public int index() {
        return index;
    }

    /** " (row 3, column 42)" for a matrix, " (position [a, b, c])" for higher ranks. */
    static String position(Shape shape, int index) {
        int[] dims = shape.dims();
        if (dims.length < 2) {
            return "";
        }
        int[] at = new int[dims.length];
        int rest = index;
        for (int axis = dims.length - 1; axis >= 0; axis--) {
            at[axis] = rest % dims[axis];
            rest /= dims[axis];
        }
        return dims.length == 2 ? " (row " + at[0] + ", column " + at[1] + ")"
                : " (position " + Arrays.toString(at) + ")";
    }
}
