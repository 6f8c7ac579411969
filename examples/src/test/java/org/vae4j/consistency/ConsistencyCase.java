package org.vae4j.consistency;

import java.util.Map;
import org.vae4j.model.ModelConfig;

/**
 * One model the consistency tests train on every backend: its registry name, settings, and how
 * many Adam steps of its trajectory are compared.
 *
 * @param label a short name for messages, e.g. {@code vae (classic 784-400-20)}
 */
record ConsistencyCase(String label, String type, ModelConfig config, int steps) {

    static ConsistencyCase of(String label, String type, Map<String, ?> settings, int steps) {
        return new ConsistencyCase(label, type, ModelConfig.of(settings), steps);
    }

    @Override
    public String toString() {
        return label;
    }
}
