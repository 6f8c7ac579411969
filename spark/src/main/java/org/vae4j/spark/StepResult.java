package org.vae4j.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the workers send back for one step or round, summed by {@code treeAggregate}: a flat
 * vector (the gradients of a step, or the weights and optimizer state of a local-SGD round),
 * the loss terms summed over the examples, the examples and the contributing workers.
 */
final class StepResult implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Nothing yet: the zero of the sum. */
    static final StepResult EMPTY = new StepResult(null, new LinkedHashMap<>(), 0, 0);

    final float[] vector;
    final LinkedHashMap<String, Double> lossSums;
    final long examples;
    final int workers;

    StepResult(float[] vector, Map<String, Double> lossSums, long examples, int workers) {
        this.vector = vector;
        this.lossSums = new LinkedHashMap<>(lossSums);
        this.examples = examples;
        this.workers = workers;
    }

    /** The sum of the two, elementwise; neither is changed. */
    StepResult plus(StepResult other) {
        if (other.workers == 0) {
            return this;
        }
        if (workers == 0) {
            return other;
        }
        if (vector.length != other.vector.length) {
            throw new IllegalStateException("workers sent vectors of " + vector.length + " and "
                    + other.vector.length + " values; they must train the same model");
        }
        float[] sum = vector.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += other.vector[i];
        }
        LinkedHashMap<String, Double> terms = new LinkedHashMap<>(lossSums);
        other.lossSums.forEach((k, v) -> terms.merge(k, v, Double::sum));
        return new StepResult(sum, terms, examples + other.examples, workers + other.workers);
    }

    /** The loss terms' means over the examples. */
    Map<String, Double> lossMeans() {
        Map<String, Double> m = new LinkedHashMap<>();
        lossSums.forEach((k, v) -> m.put(k, v / examples));
        return m;
    }
}
