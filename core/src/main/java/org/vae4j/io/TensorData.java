package org.vae4j.io;

import java.util.Objects;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;

/**
 * A float32 tensor on the host: a shape and its row-major values. What checkpoint files hold,
 * independent of any backend, so weights saved on one backend load on another.
 */
public record TensorData(Shape shape, float[] values) {

    public TensorData {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(values, "values");
        if (values.length != shape.size()) {
            throw new IllegalArgumentException(values.length + " values do not fill shape "
                    + shape + " of " + shape.size() + " elements");
        }
    }

    /** A copy of a backend tensor's values. */
    public static TensorData of(Tensor t) {
        return new TensorData(t.shape(), t.toArray());
    }

    /** A new tensor on {@code backend} holding these values. */
    public Tensor toTensor(Backend backend) {
        return backend.fromArray(values, shape);
    }

    /** The first value that is NaN or infinite, as its index; -1 when all are finite. */
    public int firstNonFinite() {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "TensorData" + shape;
    }
}
