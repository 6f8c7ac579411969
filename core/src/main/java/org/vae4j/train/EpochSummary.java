package org.vae4j.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One finished epoch, given to {@link TrainingListener#onEpochEnd}.
 *
 * @param epoch            0-based epoch
 * @param step             the global step count at its end
 * @param train            the loss total and terms averaged over the epoch's training examples
 * @param test             the same on the test split after the epoch (empty without test data)
 * @param seconds          wall time of the epoch, evaluation included
 * @param samplesPerSecond training examples per second of training time
 */
public record EpochSummary(int epoch, long step, Map<String, Double> train,
        Map<String, Double> test, double seconds, double samplesPerSecond) {

    public EpochSummary {
        train = Collections.unmodifiableMap(new LinkedHashMap<>(train));
        test = Collections.unmodifiableMap(new LinkedHashMap<>(test));
    }
}
