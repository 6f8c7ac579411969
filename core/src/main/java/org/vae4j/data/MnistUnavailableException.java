package org.vae4j.data;

import java.io.IOException;

/**
 * MNIST files are missing from the cache and no source could supply them. The message lists the
 * missing files, every source tried with the reason it failed, and what the user can do.
 */
public class MnistUnavailableException extends IOException {

    public MnistUnavailableException(String message) {
        super(message);
    }
}
