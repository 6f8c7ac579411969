package org.vae4j.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One training step (one batch; with gradient accumulation an update every few), given to
 * {@link TrainingListener#onStep}.
 *
 * @param epoch            0-based epoch
 * @param step             the global step count after this step (1 for the first step)
 * @param batch            0-based index of the batch within the epoch
 * @param batchesPerEpoch  the number of batches in an epoch
 * @param batchSize        the number of examples in this batch
 * @param values           the loss total ({@code loss}) and every named term on this batch
 * @param samplesPerSecond training throughput over the epoch so far
 */
public record StepInfo(int epoch, long step, int batch, int batchesPerEpoch, int batchSize,
        Map<String, Double> values, double samplesPerSecond) {

    public StepInfo {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
