package org.vae4j.nn;

import org.vae4j.autodiff.Variable;
import org.vae4j.tensor.Shape;

/**
 * {@code (N x d)} to {@code (N x example shape)}, e.g. {@code (N x 3136)} to
 * {@code (N x 64 x 7 x 7)}; the inverse of {@link Flatten}.
 */
public final class Unflatten implements Layer {

    private final Shape example;

    public Unflatten(int... exampleDims) {
        this.example = Shape.of(exampleDims);
        if (example.rank() == 0) {
            throw new IllegalArgumentException("Unflatten: needs the example's shape, got none");
        }
    }

    @Override
    public Variable forward(Variable x) {
        if (x.shape().rank() != 2 || x.shape().dim(1) != example.size()) {
            throw new IllegalArgumentException("Unflatten" + example + ": expects (N x "
                    + example.size() + ") input, got " + x.shape());
        }
        int[] dims = new int[example.rank() + 1];
        dims[0] = x.shape().dim(0);
        System.arraycopy(example.dims(), 0, dims, 1, example.rank());
        return x.reshape(dims);
    }

    /** The shape of one example after unflattening. */
    public Shape exampleShape() {
        return example;
    }

    @Override
    public String toString() {
        return "Unflatten" + example;
    }
}
