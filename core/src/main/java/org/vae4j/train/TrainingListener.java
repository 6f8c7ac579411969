package org.vae4j.train;

import java.nio.file.Path;

/**
 * Observes a {@link Trainer}'s progress: progress bars, log lines, metrics files; and may act on
 * it through the {@link TrainingControl} the step and epoch calls receive (change the learning
 * rate, request a checkpoint or a stop). Every method does nothing by default, so a listener
 * implements only what it needs; the trainer calls the forms with a control, which call the
 * plain ones. Called on the training thread; an exception thrown here stops training.
 */
public interface TrainingListener {

    /** Before the first step (also when resuming: see {@link TrainingInfo#startEpoch()}). */
    default void onTrainingStart(TrainingInfo info) {
    }

    /** After every training step, with that step's loss values. */
    default void onStep(StepInfo step) {
    }

    /** After every training step, with a control to act on the run; calls {@link #onStep}. */
    default void onStep(StepInfo step, TrainingControl control) {
        onStep(step);
    }

    /** After each epoch and its evaluation on the test split. */
    default void onEpochEnd(EpochSummary summary) {
    }

    /**
     * After each epoch, with a control to act on the run (a changed learning rate applies from
     * the next epoch's first update); calls {@link #onEpochEnd(EpochSummary)}.
     */
    default void onEpochEnd(EpochSummary summary, TrainingControl control) {
        onEpochEnd(summary);
    }

    /** After a checkpoint folder has been written completely. */
    default void onCheckpoint(Path checkpoint, long step) {
    }

    /** After the last epoch. Not called when training stops with an exception. */
    default void onTrainingEnd(TrainingResult result) {
    }
}
