package org.vae4j.nn;

import org.vae4j.autodiff.Variable;

/** A function from one variable to another: a module's forward pass, or an activation. */
@FunctionalInterface
public interface Layer {

    Variable forward(Variable x);
}
