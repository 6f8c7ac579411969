package org.vae4j.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not the IDX data it should be: wrong magic number, a truncated header or body,
 * trailing bytes, dimensions that disagree, or content whose checksum differs. The message names
 * the file, what was expected and what was found.
 */
public class IdxFormatException extends IOException {

    private final Path file;

    public IdxFormatException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    public IdxFormatException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
