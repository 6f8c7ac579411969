package org.vae4j.optim;

import org.vae4j.autodiff.Variable;

/**
 * Updates parameters from their gradients. A training step is {@code loss.backward();
 * optimizer.step();}, or {@link #backwardAndStep}, which may overlap the two. {@link #step()}
 * consumes the gradients (clears them), because they are tensors of the step's scope.
 *
 * <p>State (moment estimates, momentum buffers) lives in long-lived tensors the optimizer owns
 * and frees on {@link #close()}; {@link #state()} and {@link #loadState} copy it out and in so a
 * resumed run continues exactly.
 */
public interface Optimizer extends AutoCloseable {

    /** Applies one update with the current gradients, then clears them. */
    void step();

    /**
     * {@code loss.backward()} then {@link #step()}, with the same result; an optimizer may start
     * each parameter's update as soon as the backward pass has its gradient, beside the rest of
     * the pass.
     */
    default void backwardAndStep(Variable loss) {
        loss.backward();
        step();
    }

    /** Clears every parameter's gradient without updating. */
    void zeroGrad();

    double learningRate();

    /** Changes the learning rate from the next step on (for schedules). */
    void setLearningRate(double learningRate);

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
