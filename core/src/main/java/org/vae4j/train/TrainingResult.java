package org.vae4j.train;

import java.util.List;
import java.util.Map;

/**
 * What {@link Trainer#fit()} returns: the summary of every epoch of the run (those done before
 * a resume included), the global step count at the end, the seconds this call took, and why
 * training ended early ({@code stopReason}: null when it ran to the planned epochs).
 */
public record TrainingResult(List<EpochSummary> epochs, long finalStep, double seconds,
        String stopReason) {

    public TrainingResult {
        epochs = List.copyOf(epochs);
    }

    /** A run that trained to its planned epochs. */
    public TrainingResult(List<EpochSummary> epochs, long finalStep, double seconds) {
        this(epochs, finalStep, seconds, null);
    }

    /** Why training ended early (null when it ran to the planned epochs). */
    @Override
    public String stopReason() {
        return stopReason;
    }

    /** Whether training was stopped by {@link Trainer#requestStop} before its planned end. */
    public boolean stopped() {
        return stopReason != null;
    }

    /** The last epoch's summary; an error when no epoch ran. */
    public EpochSummary lastEpoch() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("no epoch has been trained");
        }
        return epochs.get(epochs.size() - 1);
    }

    /** The last epoch's training averages. */
    public Map<String, Double> finalTrain() {
        return lastEpoch().train();
    }

    /** The last epoch's test averages (empty without test data). */
    public Map<String, Double> finalTest() {
        return lastEpoch().test();
    }
}
