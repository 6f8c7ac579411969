package org.vae4j.train;

import java.nio.file.Path;

/**
 * Observes a {@link Trainer}'s progress: progress bars, log lines, metrics files. Every method
 * does nothing by default, so a listener implements only what it needs. Called on the training
 * thread; an exception thrown here stops training.
 */
public interface TrainingListener {

    /** Before the first step (also when resuming: see {@link TrainingInfo#startEpoch()}). */
    default void onTrainingStart(TrainingInfo info) {
    }

    /** After every optimizer step, with that step's loss values. */
    default void onStep(StepInfo step) {
    }

    /** After each epoch and its evaluation on the test split. */
    default void onEpochEnd(EpochSummary summary) {
    }

    /** After a checkpoint folder has been written completely. */
    default void onCheckpoint(Path checkpoint, long step) {
    }

    /** After the last epoch. Not called when training stops with an exception. */
    default void onTrainingEnd(TrainingResult result) {
    }
}
