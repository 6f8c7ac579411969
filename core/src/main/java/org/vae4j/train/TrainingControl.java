package org.vae4j.train;

import java.util.Objects;

/**
 * What a {@link TrainingListener} may do to the run it observes, in the spirit of DJL's
 * listeners that receive the trainer: change the learning rate (of every optimizer, or one by
 * name through {@link #optimizers()}), ask for a checkpoint after the current step, or ask the
 * trainer to stop. A changed base learning rate is kept in the checkpoints, so a resumed run
 * continues with it. Requests are read at the next step boundary.
 */
public final class TrainingControl {

    private final Optimizers optimizers;
    /** Read by the training loop at each step boundary; set from any thread. */
    private volatile String stopReason;
    private volatile boolean checkpointRequested;

    /** The control of a run over {@code optimizers}; for a training loop outside this package. */
    public TrainingControl(Optimizers optimizers) {
        this.optimizers = optimizers;
    }

    /** The run's optimizers, e.g. to change one's learning rate or schedule. */
    public Optimizers optimizers() {
        return optimizers;
    }

    /** Sets every optimizer's base learning rate from the next update on. */
    public void setLearningRate(double learningRate) {
        optimizers.setLearningRate(learningRate);
    }

    /**
     * Stops training at the next step boundary, as {@link Trainer#requestStop} does. Safe to
     * call from any thread.
     */
    public void requestStop(String reason) {
        stopReason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * Writes a checkpoint after the current step (when the trainer has a run directory; at an
     * epoch's end one is written anyway).
     */
    public void requestCheckpoint() {
        checkpointRequested = true;
    }

    /** The reason of the stop asked for, or null. */
    public String stopReason() {
        return stopReason;
    }

    /** Whether a checkpoint was asked for since the last one; clears the request. */
    public boolean takeCheckpointRequest() {
        boolean r = checkpointRequested;
        checkpointRequested = false;
        return r;
    }
}
