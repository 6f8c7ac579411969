package org.vae4j.data;

import java.io.IOException;

/** Content whose SHA-256 is not the one expected: a corrupt or different file. */
public class ChecksumMismatchException extends IOException {

    public ChecksumMismatchException(String message) {
        super(message);
    }
}
