package org.vae4j.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file (image, array, table) that cannot be read as a data set: the message names the
 * file and, where it applies, the row, column, element or image, and says what was expected.
 */
public class DataFileException extends IOException {

    /** {@code "<file>: <problem>"}. */
    public DataFileException(Path file, String problem) {
        super(file + ": " + problem);
    }

    /** {@code "<where>: <problem>"}, where {@code where} names e.g. a member of an archive. */
    public DataFileException(String where, String problem) {
        super(where + ": " + problem);
    }

    /** {@code "<file>: <problem>"}, keeping the low-level cause. */
    public DataFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
