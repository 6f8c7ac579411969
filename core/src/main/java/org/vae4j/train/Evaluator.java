package org.vae4j.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vae4j.autodiff.NoGrad;
import org.vae4j.data.Batch;
import org.vae4j.data.DataLoader;
import org.vae4j.data.Dataset;
import org.vae4j.model.Model;
import org.vae4j.model.StepContext;
import org.vae4j.nn.Mode;
import org.vae4j.tensor.TensorScope;

/**
 * The average loss and loss terms of a model over a whole data set, without gradients and in
 * evaluation mode ({@link StepContext#evaluation} and {@link Mode#eval}, so dropout is off).
 * Batch averages are weighted by batch size, so a smaller last batch counts for what it holds
 * and the result is the per-example mean.
 * Any noise a loss draws comes from {@link StepRandom#forEvaluation}, so evaluating the same
 * weights twice gives the same numbers.
 */
public final class Evaluator {

    private final long seed;

    /** An evaluator whose noise is drawn from generators derived from {@code seed}. */
    public Evaluator(long seed) {
        this.seed = seed;
    }

    /** Evaluates {@code model} on {@code data} in batches of {@code batchSize}, at step 0. */
    public Map<String, Double> evaluate(Model model, Dataset data, int batchSize) {
        return evaluate(model, data, batchSize, 0);
    }

    /**
     * Evaluates {@code model} on {@code data} in batches of {@code batchSize}; {@code step} is
     * the global step schedules in the loss see.
     */
    public Map<String, Double> evaluate(Model model, Dataset data, int batchSize, long step) {
        try (DataLoader loader = DataLoader.builder(data, model.backend())
                .setBatchSize(batchSize).build()) {
            return evaluate(model, loader, step);
        }
    }

    /** Evaluates on every batch of epoch 0 of {@code loader} (which should not shuffle). */
    public Map<String, Double> evaluate(Model model, DataLoader loader, long step) {
        Map<String, Double> sums = new LinkedHashMap<>();
        long examples = 0;
        int batches = loader.batchesPerEpoch();
        try (NoGrad noGrad = NoGrad.enter(); Mode mode = Mode.eval()) {
            for (int b = 0; b < batches; b++) {
                try (TensorScope scope = model.backend().newScope()) {
                    Batch batch = loader.batch(0, b);
                    StepContext context = StepContext.evaluation(step,
                            StepRandom.forEvaluation(seed, b));
                    Map<String, Double> values = model.loss(batch, context).values();
                    int n = batch.size();
                    values.forEach((k, v) -> sums.merge(k, v * n, Double::sum));
                    examples += n;
                }
            }
        }
        Map<String, Double> means = new LinkedHashMap<>();
        long total = examples;
        sums.forEach((k, v) -> means.put(k, v / total));
        return means;
    }
}
