package org.vae4j.train;

/**
 * Training stopped because a loss term (or a weight) became NaN or infinite. The message names
 * the term, the epoch (1-based) and the global step; no checkpoint of the diverged weights is
 * written, so the last checkpoint on disk is still good.
 */
public final class TrainingDivergedException extends RuntimeException {

    private final int epoch;
    private final long step;
    private final String term;

    public TrainingDivergedException(int epoch, long step, String term, String message) {
        super(message);
        this.epoch = epoch;
        this.step = step;
        this.term = term;
    }

    /** The 0-based epoch in which it diverged. */
    public int epoch() {
        return epoch;
    }

    /** The global step (1-based) whose loss was not finite. */
    public long step() {
        return step;
    }

    /** The first term that was not finite ({@code loss} for the total), or a parameter name. */
    public String term() {
        return term;
    }
}
