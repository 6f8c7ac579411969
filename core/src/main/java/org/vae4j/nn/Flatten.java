package org.vae4j.nn;

import org.vae4j.autodiff.Variable;

/** {@code (N x d1 x d2 x ...)} to {@code (N x d1·d2·...)}, as PyTorch's {@code Flatten()}. */
public final class Flatten implements Layer {

    @Override
    public Variable forward(Variable x) {
        if (x.shape().rank() < 1) {
            throw new IllegalArgumentException("Flatten: expects a batch (N x ...), got a scalar");
        }
        int n = x.shape().dim(0);
        return x.shape().rank() == 2 ? x : x.reshape(n, n == 0 ? 0 : x.shape().size() / n);
    }

    @Override
    public String toString() {
        return "Flatten";
    }
}
