package org.vae4j.nn;

import org.vae4j.autodiff.Variable;

/** A function from one variable to another: a module's forward pass, or an activation. */
@FunctionalInterface
public interface Layer {

    Variable forward(Variable x);

    /**
     * This layer and {@code next} as one layer computing {@code next.forward(forward(x))} with the
     * same values but fewer kernels (e.g. {@link Linear} then ReLU as one fused op), or null when
     * this layer has no fused form with {@code next}. {@link Sequential} asks each layer about its
     * successor, so a layer kind brings its own fusions.
     */
    default Layer fuseWith(Layer next) {
        return null;
    }
}
