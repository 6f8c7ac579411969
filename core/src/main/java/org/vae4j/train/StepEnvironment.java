package org.vae4j.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.vae4j.autodiff.Variable;
import org.vae4j.data.Batch;
import org.vae4j.model.Loss;
import org.vae4j.model.Model;
import org.vae4j.model.StepContext;
import org.vae4j.nn.Mode;
import org.vae4j.optim.Optimizer;

/**
 * What a {@link TrainingStep} works with for one batch: the model, the batch, the step's context
 * (global step, generator), the named optimizers and the gradient-accumulation position, with
 * the two operations every step needs, {@link #computeLoss()} and {@link #minimize}, written
 * once so that a custom step trains exactly as the trainer's own.
 *
 * <p>With accumulation over {@code k} batches, {@link #minimize} differentiates {@code loss / k}
 * and adds the gradients to the optimizers' sums; on the last batch of each group of {@code k}
 * ({@link #updates()}) it updates with the sums. For a mean loss that equals, to rounding, one
 * update on the group's batches joined into one.
 */
public final class StepEnvironment {

    private final Model model;
    private final Batch batch;
    private final StepContext context;
    private final Optimizers optimizers;
    private final int accumulation;
    private final boolean updates;

    private StepEnvironment(Model model, Batch batch, StepContext context,
            Optimizers optimizers, int accumulation, boolean updates) {
        this.model = Objects.requireNonNull(model, "model");
        this.batch = Objects.requireNonNull(batch, "batch");
        this.context = Objects.requireNonNull(context, "context");
        this.optimizers = Objects.requireNonNull(optimizers, "optimizers");
        this.accumulation = accumulation;
        this.updates = updates;
    }

    /**
     * A step without accumulation, for running a {@link TrainingStep} outside the trainer (a
     * benchmark, a consistency check) exactly as the trainer runs it.
     */
    public static StepEnvironment of(Model model, Batch batch, StepContext context,
            Optimizers optimizers) {
        return new StepEnvironment(model, batch, context, optimizers, 1, true);
    }

    /** The trainer's step {@code context.step()} when accumulating over {@code accumulation}. */
    static StepEnvironment accumulating(Model model, Batch batch, StepContext context,
            Optimizers optimizers, int accumulation) {
        return new StepEnvironment(model, batch, context, optimizers, accumulation,
                (context.step() + 1) % accumulation == 0);
    }

    /**
     * {@code model.loss(batch, context)} in the layers' mode the context describes (training:
     * dropout active, drawing from the step's generator), as every training step computes it.
     */
    public static Loss trainingLoss(Model model, Batch batch, StepContext context) {
        try (Mode mode = context.openMode()) {
            return model.loss(batch, context);
        }
    }

    /** The model's loss on this batch: {@link #trainingLoss}. */
    public Loss computeLoss() {
        return trainingLoss(model, batch, context);
    }

    /**
     * Differentiates {@code loss} and updates each of {@code optimizers} with its gradients (a
     * joint step), or, in the middle of an accumulation group, adds them to its sums. One
     * optimizer may update parameters beside the backward pass ({@code backwardAndStep}). Each
     * optimizer consumes the gradients of its parameters, so optimizers of one joint step should
     * not share parameters (the first would take a shared one's gradient).
     */
    public void minimize(Variable loss, List<Optimizer> optimizers) {
        if (optimizers.isEmpty()) {
            throw new IllegalArgumentException("minimize: no optimizer given");
        }
        Variable scaled = accumulation == 1 ? loss : loss.mul(1f / accumulation);
        if (updates && optimizers.size() == 1) {
            optimizers.get(0).backwardAndStep(scaled);
            return;
        }
        scaled.backwardFreeingValues(leaf -> { });
        for (Optimizer o : optimizers) {
            if (updates) {
                o.step();
            } else {
                o.accumulate();
            }
        }
    }

    /** {@link #minimize(Variable, List)} with the optimizers of these names. */
    public void minimize(Variable loss, String... optimizerNames) {
        List<Optimizer> list = new ArrayList<>();
        for (String name : optimizerNames) {
            list.add(optimizers.get(name));
        }
        minimize(loss, list);
    }

    public Model model() {
        return model;
    }

    public Batch batch() {
        return batch;
    }

    public StepContext context() {
        return context;
    }

    /** The global step: batches trained before this one. */
    public long step() {
        return context.step();
    }

    public Optimizers optimizers() {
        return optimizers;
    }

    /** The optimizer called {@code name}. */
    public Optimizer optimizer(String name) {
        return optimizers.get(name);
    }

    /** The batches whose gradients are summed into one update; 1 without accumulation. */
    public int accumulation() {
        return accumulation;
    }

    /** Whether {@link #minimize} updates at this batch (the last of its accumulation group). */
    public boolean updates() {
        return updates;
    }
}
