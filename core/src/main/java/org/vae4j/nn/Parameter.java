package org.vae4j.nn;

import org.vae4j.autodiff.Variable;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/**
 * A long-lived variable: its tensor belongs to no step scope, only to the parameter, which frees
 * it on {@link #close()}. An optimizer replaces the value with {@link #assign}. A parameter is
 * trainable (it gets gradients) unless created as a buffer, e.g. VQ-VAE's EMA statistics.
 *
 * <p>The graph of a forward pass reads parameter values during {@code backward()}, so assign
 * new values only after it (as the optimizer does).
 */
public final class Parameter extends Variable implements AutoCloseable {

    /** A trainable parameter owning {@code value}, which is removed from every open scope. */
    public Parameter(Tensor value) {
        this(value, true);
    }

    /** A parameter owning {@code value}; a non-trainable one is a constant to autodiff. */
    public Parameter(Tensor value, boolean trainable) {
        super(TensorScope.untrack(value), trainable);
    }

    /** Whether gradients flow to this parameter. */
    public boolean isTrainable() {
        return requiresGrad();
    }

    /**
     * Replaces the value with {@code newValue} (same shape), which the parameter now owns, and
     * closes the old one.
     */
    public void assign(Tensor newValue) {
        Tensor old = value();
        if (newValue == old) {
            return;
        }
        if (newValue.backend() != old.backend()) {
            throw new IllegalArgumentException("cannot assign a " + newValue.backend().name()
                    + " tensor to a parameter on the " + old.backend().name() + " backend");
        }
        setValue(TensorScope.untrack(newValue));
        old.close();
    }

    /** Replaces the value with a copy of {@code data} (same number of elements). */
    public void assign(float[] data) {
        assign(backend().fromArray(data, shape()));
    }

    /** The number of scalar values. */
    public int size() {
        return shape().size();
    }

    /** Frees the parameter's storage. */
    @Override
    public void close() {
        value().close();
    }
}
