package org.vae4j.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.vae4j.model.Model;
import org.vae4j.optim.Optimizer;
import org.vae4j.optim.OptimizerState;
import org.vae4j.tensor.TensorScope;

/**
 * The driver's side of one synchronous step or one local-SGD round: broadcast the weights, run
 * one Spark job over the shards whose per-partition results {@code treeAggregate} sums, then
 * update the driver's model. Keeps the time each part took.
 */
final class DistributedSteps {
    /** The depth of the aggregation tree: partial sums on the executors beyond a few workers. */
    private static final int TREE_DEPTH = 2;

    private final JavaSparkContext spark;
    private final ShardedData data;
    private final Broadcast<WorkerSetup> setup;
    private final Model model;
    private final Optimizer optimizer;
    private final OptimizerFactory factory;

    private long updates;
    private long examples;
    private long broadcastNanos;
    private long jobNanos;
    private double computeSeconds;
    private long updateNanos;

    DistributedSteps(JavaSparkContext spark, ShardedData data, Broadcast<WorkerSetup> setup,
            Model model, Optimizer optimizer, OptimizerFactory factory) {
        this.spark = spark;
        this.data = data;
        this.setup = setup;
        this.model = model;
        this.optimizer = optimizer;
        this.factory = factory;
    }

    /**
     * Step {@code step} on the global batch {@code batch} (example indices in batch order): the
     * workers' gradients summed, then one update of the driver's optimizer.
     */
    StepResult step(int[] batch, long step) {
        long t0 = System.nanoTime();
        Broadcast<float[]> weights = spark.broadcast(ParameterVectors.weights(model));
        long t1 = System.nanoTime();
        StepResult r;
        try {
            r = data.shards.mapPartitions(new GradientTask(setup, weights, batch, step))
                    .treeAggregate(StepResult.EMPTY, StepResult::plus, StepResult::plus,
                            TREE_DEPTH);
        } finally {
            weights.destroy();
        }
        long t2 = System.nanoTime();
        check(r, batch.length, step);
        try (TensorScope scope = model.backend().newScope()) {
            ParameterVectors.addGradients(model, r.vector);
            optimizer.step();
        }
        account(r, t0, t1, t2, System.nanoTime());
        return r;
    }

    /**
     * A local-SGD round over the global batches {@code batches}, the first being step {@code
     * firstStep}: each worker trains on its part of each with its own optimizer, then the
     * driver takes the example-weighted average of their weights and optimizer state.
     */
    StepResult round(int[][] batches, long firstStep) {
        long t0 = System.nanoTime();
        OptimizerState state = ParameterVectors.sorted(optimizer.state());
        Broadcast<float[]> start = spark.broadcast(ParameterVectors.withState(
                ParameterVectors.weights(model), state, 1f));
        long t1 = System.nanoTime();
        StepResult r;
        try {
            r = data.shards.mapPartitions(new LocalSgdTask(setup, start, factory, state,
                    optimizer.learningRate(), batches, firstStep))
                    .treeAggregate(StepResult.EMPTY, StepResult::plus, StepResult::plus,
                            TREE_DEPTH);
        } finally {
            start.destroy();
        }
        long t2 = System.nanoTime();
        long expected = 0;
        for (int[] b : batches) {
            expected += b.length;
        }
        check(r, expected, firstStep);
        try (TensorScope scope = model.backend().newScope()) {
            ParameterVectors.assignWeights(model, r.vector);
            optimizer.loadState(ParameterVectors.state(state.step() + batches.length, r.vector,
                    ParameterVectors.size(model), r.buffers, r.bufferSizes));
        }
        account(r, t0, t1, t2, System.nanoTime());
        return r;
    }

    /** Every example of the step must have been seen once: else the sum is not the step's. */
    private static void check(StepResult r, long expected, long step) {
        if (r.examples != expected) {
            throw new IllegalStateException("step " + step + ": the workers computed "
                    + r.examples + " of the batch's " + expected + " examples; the shards do not"
                    + " cover the training set exactly once");
        }
    }

    private void account(StepResult r, long t0, long t1, long t2, long t3) {
        updates++;
        examples += r.examples;
        broadcastNanos += t1 - t0;
        jobNanos += t2 - t1;
        computeSeconds += r.computeNanos / 1e9 / r.workers;
        updateNanos += t3 - t2;
    }

    SparkTrainingTimes times(double totalSeconds) {
        return new SparkTrainingTimes(updates, examples, broadcastNanos / 1e9, jobNanos / 1e9,
                computeSeconds, updateNanos / 1e9, totalSeconds);
    }
}
