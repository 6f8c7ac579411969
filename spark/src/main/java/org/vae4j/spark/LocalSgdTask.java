package org.vae4j.spark;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.vae4j.data.Batch;
import org.vae4j.model.Loss;
import org.vae4j.model.Model;
import org.vae4j.model.StepContext;
import org.vae4j.nn.Parameter;
import org.vae4j.optim.Optimizer;
import org.vae4j.optim.OptimizerState;
import org.vae4j.tensor.TensorScope;
import org.vae4j.train.Optimizers;
import org.vae4j.train.StepEnvironment;
import org.vae4j.train.TrainingStep;

/**
 * One local-SGD round on a worker: from the round's weights and optimizer state, the worker
 * takes one ordinary training step on its part of each of the round's global batches, with an
 * optimizer of its own, and sends back its weights and optimizer state weighted by its share of
 * the round's examples, so the sum over the workers is their example-weighted average.
 */
final class LocalSgdTask implements FlatMapFunction<Iterator<TrainingShard>, StepResult> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<WorkerSetup> setup;
    private final Broadcast<float[]> start;
    private final OptimizerFactory optimizer;
    private final long optimizerStep;
    private final List<String> bufferNames;
    private final int[] bufferSizes;
    private final double learningRate;
    private final int[][] batches;
    private final long firstStep;
    private final long roundExamples;

    LocalSgdTask(Broadcast<WorkerSetup> setup, Broadcast<float[]> start,
            OptimizerFactory optimizer, OptimizerState state, double learningRate,
            int[][] batches, long firstStep) {
        this.setup = setup;
        this.start = start;
        this.optimizer = optimizer;
        this.optimizerStep = state.step();
        this.bufferNames = ParameterVectors.names(state);
        this.bufferSizes = ParameterVectors.sizes(state);
        this.learningRate = learningRate;
        this.batches = batches;
        this.firstStep = firstStep;
        long n = 0;
        for (int[] b : batches) {
            n += b.length;
        }
        this.roundExamples = n;
    }

    @Override
    public Iterator<StepResult> call(Iterator<TrainingShard> shards) {
        StepResult sum = StepResult.EMPTY;
        while (shards.hasNext()) {
            sum = sum.plus(round(shards.next()));
        }
        return List.of(sum).iterator();
    }

    private StepResult round(TrainingShard shard) {
        long t0 = System.nanoTime();
        WorkerSetup s = setup.value();
        Model m = s.borrow();
        Optimizer opt = null;
        try {
            float[] v = start.value();
            ParameterVectors.assignWeights(m, v);
            opt = optimizer.create(m.parameters());
            opt.loadState(ParameterVectors.state(optimizerStep, v, ParameterVectors.size(m),
                    bufferNames, bufferSizes));
            opt.setLearningRate(learningRate);
            Optimizers one = Optimizers.of(opt);
            Map<String, Double> sums = new LinkedHashMap<>();
            long examples = 0;
            for (int j = 0; j < batches.length; j++) {
                int[] positions = shard.positionsIn(batches[j]);
                if (positions.length == 0) {
                    continue;
                }
                long step = firstStep + j;
                try (TensorScope scope = m.backend().newScope()) {
                    Batch b = WorkerSetup.batch(m, shard, batches[j], positions);
                    StepContext context = StepContext.training(step,
                            s.random(step, shard.partition));
                    Loss loss = TrainingStep.standard().run(StepEnvironment.of(m, b, context,
                            one));
                    int k = positions.length;
                    loss.values().forEach((name, x) -> sums.merge(name, x * k, Double::sum));
                    for (Parameter p : m.parameters().values()) {
                        p.zeroGrad();
                    }
                }
                examples += positions.length;
            }
            if (examples == 0) {
                return StepResult.EMPTY;
            }
            float share = examples == roundExamples ? 1f
                    : (float) ((double) examples / roundExamples);
            OptimizerState after = ParameterVectors.sorted(opt.state());
            float[] out = ParameterVectors.withState(
                    ParameterVectors.scaled(ParameterVectors.weights(m), share), after, share);
            return new StepResult(out, ParameterVectors.names(after),
                    ParameterVectors.sizes(after), sums, examples, 1, System.nanoTime() - t0);
        } finally {
            if (opt != null) {
                opt.close();
            }
            s.giveBack(m);
        }
    }
}
