package org.vae4j.consistency;

import java.util.Map;
import org.vae4j.model.ModelConfig;

/**
 * One model the consistency tests train on every backend: its registry name, settings, and how
 * many Adam steps of its trajectory are compared.
 *
 * @param label a short name for messages, e.g. {@code vae (classic 784-400-20)}
 * @param looseness the factor on the gradient and parameter tolerances: 1 except for an objective
 *     whose conditioning amplifies float32 rounding by a known factor (see {@link #loosened})
 */
record ConsistencyCase(String label, String type, ModelConfig config, int steps,
        double looseness) {

    static ConsistencyCase of(String label, String type, Map<String, ?> settings, int steps) {
        return new ConsistencyCase(label, type, ModelConfig.of(settings), steps, 1);
    }

    /**
     * This case with its gradient and parameter tolerances multiplied by {@code factor}. For the
     * importance-weighted bound: its gradient weighs each draw by {@code softmax_k(log w_k)}, and
     * a weight's relative error is the absolute error of {@code log w_k}, a sum of 784 pixel
     * terms of about −550 nats whose float32 rounding is ~1e-4 nats (the loss agrees to 2e-7
     * relative); measured, the gradients then agree to 7.3e-5 instead of ~5e-7, and after five
     * Adam steps the parameters to 4.7e-3 of their displacement (5.2e-2 worst element), so the
     * iwae case runs at 20 times the tolerances.
     */
    ConsistencyCase loosened(double factor) {
        return new ConsistencyCase(label, type, config, steps, factor);
    }

    /** This case compared over {@code n} steps. */
    ConsistencyCase withSteps(int n) {
        return new ConsistencyCase(label, type, config, n, looseness);
    }

    @Override
    public String toString() {
        return label;
    }
}
