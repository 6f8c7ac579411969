package org.vae4j.spark;

import java.io.Serializable;
import java.util.Map;
import org.vae4j.nn.Parameter;
import org.vae4j.optim.Optimizer;

/**
 * Makes the optimizer of a distributed run over a model's parameters: on the driver for the
 * synchronous step, and on every worker for local SGD. Serializable, so a lambda such as
 * {@code params -> new Adam(params, 1e-3)} reaches the executors.
 */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {

    /** A new optimizer over {@code parameters}. */
    Optimizer create(Map<String, Parameter> parameters);
}
