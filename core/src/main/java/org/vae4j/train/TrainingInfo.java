package org.vae4j.train;

import java.nio.file.Path;
import java.util.List;

/**
 * What a run is about to do, given to {@link TrainingListener#onTrainingStart}. Epochs are
 * 0-based; a resumed run starts at {@code startEpoch}/{@code startBatch} with the summaries of
 * the epochs already done in {@code history}.
 *
 * @param runDirectory where checkpoints and metrics go, or null when nothing is written
 */
public record TrainingInfo(String modelType, long parameterCount, String backend,
        int trainSize, int testSize, int batchSize, int batchesPerEpoch, int epochs,
        int startEpoch, int startBatch, long startStep, long seed, Path runDirectory,
        List<EpochSummary> history) {

    public TrainingInfo {
        history = List.copyOf(history);
    }

    /** Whether this run continues from a checkpoint. */
    public boolean isResumed() {
        return startStep > 0;
    }
}
