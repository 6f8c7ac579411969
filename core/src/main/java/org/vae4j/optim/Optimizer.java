package org.vae4j.optim;

import org.vae4j.autodiff.Variable;

/**
 * Updates parameters from their gradients. A training step is {@code loss.backward();
 * optimizer.step();}, or {@link #backwardAndStep}, which may overlap the two. {@link #step()}
 * consumes the gradients (clears them), because they are tensors of the step's scope.
 *
 * <p>State (moment estimates, momentum buffers) lives in long-lived tensors the optimizer owns
 * and frees on {@link #close()}; {@link #state()} and {@link #loadState} copy it out and in so a
 * resumed run continues exactly; with gradient accumulation it includes the gradient sums
 * ({@code <parameter>.grad_sum}) not yet applied.
 *
 * <p>Three settings shape every update: {@link #setGradientClipping clipping}, a
 * {@link #setSchedule learning-rate schedule} (a factor of the base rate by step count) and
 * {@link #accumulate() gradient accumulation} over several backward passes. With their
 * defaults (none, constant, nothing accumulated) an update is exactly the plain one.
 */
public interface Optimizer extends AutoCloseable {

    /** Applies one update with the current gradients, then clears them. */
    void step();

    /**
     * {@code loss.backward()} then {@link #step()}, with the same result; an optimizer may start
     * each parameter's update as soon as the backward pass has its gradient, beside the rest of
     * the pass. The pass frees the graph's forward values as soon as it is done with each
     * ({@link Variable#backwardFreeingValues}): read values after the step only from
     * {@linkplain Variable#retainValue retained} variables (a model's {@code Loss} retains its
     * total, terms and tensor outputs).
     */
    default void backwardAndStep(Variable loss) {
        loss.backwardFreeingValues(leaf -> { });
        step();
    }

    /** Clears every parameter's gradient without updating. */
    void zeroGrad();

    /**
     * Adds the current gradients to this optimizer's gradient sums and clears them, without
     * updating (gradient accumulation): the next {@link #step()} updates with the sums plus the
     * gradients then present. The sums outlive the scope of the step that made them.
     */
    void accumulate();

    /** Whether {@link #accumulate()} has gradient sums waiting for the next step. */
    boolean hasAccumulatedGradients();

    /** The base learning rate (the schedule's factor multiplies it). */
    double learningRate();

    /** Changes the base learning rate from the next step on. */
    void setLearningRate(double learningRate);

    /** The rate the next step will use: the base rate times the schedule's factor. */
    double currentLearningRate();

    /** The learning-rate schedule; {@link LearningRateSchedule#constant()} by default. */
    LearningRateSchedule schedule();

    /** Sets the learning-rate schedule, whose position is {@link #stepCount()}. */
    void setSchedule(LearningRateSchedule schedule);

    /** The gradient clipping; {@link GradientClipping#NONE} by default. */
    GradientClipping gradientClipping();

    /** Sets how gradients are clipped before each update. */
    void setGradientClipping(GradientClipping clipping);

    /** How many steps have been taken. */
    long stepCount();

    /** A copy of the state, for a checkpoint. */
    OptimizerState state();

    /** Continues from {@code state}, which must come from an optimizer of the same parameters. */
    void loadState(OptimizerState state);

    /** Frees the state tensors. */
    @Override
    void close();
}
