package org.vae4j.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the workers send back for one step or round, summed by {@code treeAggregate}: a flat
 * vector (the weighted gradients of a step, or the weighted weights and optimizer state of a
 * local-SGD round), the names and sizes of the optimizer buffers it holds after the weights
 * (local SGD only), the loss terms summed over the examples, the examples, the contributing
 * workers and the time they spent computing.
 */
final class StepResult implements Serializable {
    private static final long serialVersionUID = 2L;

    /** Nothing yet: the zero of the sum, and what a worker without examples in a step sends. */
    static final StepResult EMPTY = new StepResult(null, List.of(), new int[0],
            new LinkedHashMap<>(), 0, 0, 0);

    final float[] vector;
    final List<String> buffers;
    final int[] bufferSizes;
    final LinkedHashMap<String, Double> lossSums;
    final long examples;
    final int workers;
    final long computeNanos;

    StepResult(float[] vector, List<String> buffers, int[] bufferSizes,
            Map<String, Double> lossSums, long examples, int workers, long computeNanos) {
        this.vector = vector;
        this.buffers = List.copyOf(buffers);
        this.bufferSizes = bufferSizes;
        this.lossSums = new LinkedHashMap<>(lossSums);
        this.examples = examples;
        this.workers = workers;
        this.computeNanos = computeNanos;
    }

    /** The sum of the two, elementwise; neither is changed. */
    StepResult plus(StepResult other) {
        if (other.workers == 0) {
            return this;
        }
        if (workers == 0) {
            return other;
        }
        if (vector.length != other.vector.length || !buffers.equals(other.buffers)
                || !java.util.Arrays.equals(bufferSizes, other.bufferSizes)) {
            throw new IllegalStateException("workers sent vectors of " + vector.length + " and "
                    + other.vector.length + " values (buffers " + buffers + " and "
                    + other.buffers + "); they must train the same model with the same optimizer");
        }
        float[] sum = vector.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += other.vector[i];
        }
        LinkedHashMap<String, Double> terms = new LinkedHashMap<>(lossSums);
        other.lossSums.forEach((k, v) -> terms.merge(k, v, Double::sum));
        return new StepResult(sum, buffers, bufferSizes, terms, examples + other.examples,
                workers + other.workers, computeNanos + other.computeNanos);
    }

    /** The loss terms' means over the examples. */
    Map<String, Double> lossMeans() {
        Map<String, Double> m = new LinkedHashMap<>();
        lossSums.forEach((k, v) -> m.put(k, v / examples));
        return m;
    }
}
