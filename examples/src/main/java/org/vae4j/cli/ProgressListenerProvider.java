package org.vae4j.cli;

import com.google.inject.Provider;
import org.vae4j.train.LoggingListener;
import org.vae4j.train.TrainingListener;

/**
 * A progress bar with the loss terms and samples/s when the program runs in a terminal; else
 * plain log lines (every {@value #LOG_EVERY_STEPS} steps and per epoch) that read well in CI logs.
 */
final class ProgressListenerProvider implements Provider<TrainingListener> {

    static final int LOG_EVERY_STEPS = 100;

    @Override
    public TrainingListener get() {
        if (System.console() != null) {
            return new ProgressBarListener(System.err);
        }
        return new QuietCheckpoints(new LoggingListener(LOG_EVERY_STEPS));
    }

    /** Forwards everything but the per-checkpoint lines, which would double every epoch line. */
    static final class QuietCheckpoints implements TrainingListener {
        private final TrainingListener delegate;

        QuietCheckpoints(TrainingListener delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onTrainingStart(org.vae4j.train.TrainingInfo info) {
            delegate.onTrainingStart(info);
        }

        @Override
        public void onStep(org.vae4j.train.StepInfo step) {
            delegate.onStep(step);
        }

        @Override
        public void onEpochEnd(org.vae4j.train.EpochSummary summary) {
            delegate.onEpochEnd(summary);
        }

        @Override
        public void onTrainingEnd(org.vae4j.train.TrainingResult result) {
            delegate.onTrainingEnd(result);
        }
    }
}
