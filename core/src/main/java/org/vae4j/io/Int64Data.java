package org.vae4j.io;

import java.util.Objects;
import org.vae4j.tensor.Shape;

/**
 * An int64 tensor on the host: a shape and its row-major values. vae4j computes only in
 * float32; this is for files shared with other frameworks, such as PyTorch's batch-norm
 * counter {@code num_batches_tracked}.
 */
public record Int64Data(Shape shape, long[] values) {

    public Int64Data {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(values, "values");
        if (values.length != shape.size()) {
            throw new IllegalArgumentException(values.length + " values do not fill shape "
                    + shape + " of " + shape.size() + " elements");
        }
    }

    /** A scalar (shape {@code []}). */
    public static Int64Data scalar(long value) {
        return new Int64Data(Shape.of(), new long[] {value});
    }

    @Override
    public String toString() {
        return "Int64Data" + shape;
    }
}
