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
import org.vae4j.tensor.TensorScope;
import org.vae4j.train.StepEnvironment;

/**
 * One synchronous step on a worker: the gradients of its part of the global batch, from the
 * step's weights, scaled by its share of the batch ({@code k / N}), so that the sum over the
 * workers is the gradient of the mean loss over the whole batch. A worker holding none of the
 * batch sends nothing.
 */
final class GradientTask implements FlatMapFunction<Iterator<TrainingShard>, StepResult> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<WorkerSetup> setup;
    private final Broadcast<float[]> weights;
    private final int[] batch;
    private final long step;

    GradientTask(Broadcast<WorkerSetup> setup, Broadcast<float[]> weights, int[] batch,
            long step) {
        this.setup = setup;
        this.weights = weights;
        this.batch = batch;
        this.step = step;
    }

    @Override
    public Iterator<StepResult> call(Iterator<TrainingShard> shards) {
        StepResult sum = StepResult.EMPTY;
        while (shards.hasNext()) {
            sum = sum.plus(gradients(shards.next()));
        }
        return List.of(sum).iterator();
    }

    private StepResult gradients(TrainingShard shard) {
        int[] positions = shard.positionsIn(batch);
        if (positions.length == 0) {
            return StepResult.EMPTY;
        }
        long t0 = System.nanoTime();
        WorkerSetup s = setup.value();
        Model m = s.borrow();
        try (TensorScope scope = m.backend().newScope()) {
            ParameterVectors.assignWeights(m, weights.value());
            Batch b = WorkerSetup.batch(m, shard, batch, positions);
            StepContext context = StepContext.training(step, s.random(step, shard.partition));
            Loss loss = StepEnvironment.trainingLoss(m, b, context);
            loss.total().backward();
            float share = positions.length == batch.length ? 1f
                    : (float) ((double) positions.length / batch.length);
            float[] g = ParameterVectors.gradients(m, share);
            Map<String, Double> sums = new LinkedHashMap<>();
            loss.values().forEach((k, v) -> sums.put(k, v * positions.length));
            return new StepResult(g, List.of(), new int[0], sums, positions.length, 1,
                    System.nanoTime() - t0);
        } finally {
            for (Parameter p : m.parameters().values()) {
                p.zeroGrad();
            }
            s.giveBack(m);
        }
    }
}
