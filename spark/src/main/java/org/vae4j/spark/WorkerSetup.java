package org.vae4j.spark;

import java.io.Serializable;
import org.vae4j.data.Batch;
import org.vae4j.model.Model;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Shape;
import org.vae4j.train.StepRandom;

/**
 * What every task of one distributed training run needs and what does not change from step to
 * step, broadcast once: the run's id, the model's weights file (type, config and initial
 * weights; each executor builds the model from it once per task slot), the executors' backend
 * and the run's seed.
 */
final class WorkerSetup implements Serializable {
    private static final long serialVersionUID = 1L;

    final String runId;
    final byte[] model;
    final String backend;
    final long seed;

    WorkerSetup(String runId, byte[] model, String backend, long seed) {
        this.runId = runId;
        this.model = model;
        this.backend = backend;
        this.seed = seed;
    }

    Model borrow() {
        return WorkerModels.borrow(runId, model, backend);
    }

    void giveBack(Model m) {
        WorkerModels.giveBack(runId, backend, m);
    }

    /**
     * The generator of partition {@code partition}'s part of step {@code step}: partition 0
     * draws from the single-machine trainer's {@link StepRandom#forStep}, so one worker draws
     * exactly the noise of the single-machine run; every other partition from its own stream.
     */
    Rng random(long step, int partition) {
        Rng r = StepRandom.forStep(seed, step);
        for (int i = 0; i < partition; i++) {
            r = r.split();
        }
        return r;
    }

    /** The examples at {@code positions} of {@code batch} as a batch of {@code m}'s shape. */
    static Batch batch(Model m, TrainingShard shard, int[] batch, int[] positions) {
        Shape shape = m.inputShape();
        int[] dims = new int[shape.dims().length + 1];
        dims[0] = positions.length;
        System.arraycopy(shape.dims(), 0, dims, 1, shape.dims().length);
        return new Batch(m.backend().fromArray(shard.features(batch, positions), Shape.of(dims)),
                shard.labels(batch, positions));
    }
}
