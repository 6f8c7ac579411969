package org.vae4j.data;

import java.nio.file.Path;

/** Checks every reader applies, with the same wording. */
final class DataChecks {

    /** The fewest examples a data set may hold: one to train on and one to evaluate. */
    static final int MIN_ROWS = 2;

    private DataChecks() {
    }

    /** Refuses a data set of fewer than {@link #MIN_ROWS} examples. */
    static void enoughRows(Path file, int rows, String what) throws DataFileException {
        if (rows < MIN_ROWS) {
            throw new DataFileException(file, "holds " + rows + " " + (rows == 1
                    ? what.substring(0, what.length() - 1) : what) + "; expected at least "
                    + MIN_ROWS + " (one to train on and one to evaluate)");
        }
    }
}
