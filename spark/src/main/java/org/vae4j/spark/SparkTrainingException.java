package org.vae4j.spark;

import java.nio.file.Path;

/**
 * A step or round of distributed training failed on the cluster after Spark's retries (a task
 * that kept failing, a lost executor past {@code spark.task.maxFailures}). The driver's model
 * was not updated with the failed step; the run folder's newest checkpoint is intact.
 */
public final class SparkTrainingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long step;
    private final transient Path lastCheckpoint;

    SparkTrainingException(String message, long step, Path lastCheckpoint, Throwable cause) {
        super(message, cause);
        this.step = step;
        this.lastCheckpoint = lastCheckpoint;
    }

    /** The step (the first of the round, for local SGD) that failed. */
    public long step() {
        return step;
    }

    /** The newest checkpoint of the run, or null when none was written. */
    public Path lastCheckpoint() {
        return lastCheckpoint;
    }
}
