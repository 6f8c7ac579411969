package org.vae4j.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An optimizer's state as plain arrays: the step count and named buffers such as
 * {@code encoder.0.weight.exp_avg} (PyTorch's names), each of its parameter's size.
 */
public record OptimizerState(long step, Map<String, float[]> buffers) {

    public OptimizerState {
        if (step < 0) {
            throw new IllegalArgumentException("optimizer step must be >= 0, got " + step);
        }
        buffers = Collections.unmodifiableMap(new LinkedHashMap<>(buffers));
    }
}
